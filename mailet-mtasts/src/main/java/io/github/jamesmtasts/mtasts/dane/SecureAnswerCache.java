package io.github.jamesmtasts.mtasts.dane;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Validated answers by name and type, kept for their TTL capped at {@code maxTtl} (RFC 2181 5.2, RFC 2308 5);
 * bogus and indeterminate answers for {@code failureTtl} (at most {@code maxTtl}; 0 keeps none) so that a burst of
 * mail for a broken domain does not repeat every lookup. At most {@code maxEntries} answers, the least recently used
 * go first (H2). Thread-safe.
 */
final class SecureAnswerCache {

    private final Clock clock;
    private final int maxEntries;
    private final Duration maxTtl;
    private final Duration failureTtl;
    private final Map<String, Cached> entries;

    SecureAnswerCache(Clock clock, int maxEntries, Duration maxTtl, Duration failureTtl) {
        this.clock = Objects.requireNonNull(clock);
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.maxTtl = Objects.requireNonNull(maxTtl);
        this.failureTtl = failureTtl.compareTo(maxTtl) > 0 ? maxTtl : failureTtl;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > SecureAnswerCache.this.maxEntries;
            }
        };
    }

    synchronized Optional<SecureAnswer> get(Name name, int type) {
        String key = key(name, type);
        Cached entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires)) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.answer);
    }

    synchronized void put(SecureAnswer answer) {
        Duration keep = lifetime(answer);
        if (keep.isZero() || keep.isNegative() || maxEntries == 0) {
            return;
        }
        entries.put(key(answer.name(), answer.type()), new Cached(answer, clock.instant().plus(keep)));
    }

    synchronized int size() {
        return entries.size();
    }

    private Duration lifetime(SecureAnswer answer) {
        switch (answer.status()) {
            case SECURE:
            case INSECURE:
                Duration ttl = Duration.ofSeconds(answer.ttlSeconds());
                return ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
            default:
                return failureTtl;
        }
    }

    private static String key(Name name, int type) {
        // Name.equals ignores case, its text does not: the canonical (lower-case) form is the key
        return name.canonicalize().toString() + " " + Type.string(type);
    }

    private static final class Cached {
        private final SecureAnswer answer;
        private final Instant expires;

        private Cached(SecureAnswer answer, Instant expires) {
            this.answer = answer;
            this.expires = expires;
        }
    }
}
