package io.github.jamesmtasts.mtasts.resolve;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 8461 3.3: "In the case that the HTTPS GET fails, we suggest implementations limit further attempts to a period
 * of five minutes or longer per version ID". Remembers, per domain, the record id whose fetch failed last and when.
 * A different id (the domain published a fix) may be fetched at once. In memory: after a restart one early retry is
 * harmless.
 */
final class FetchBackoff {

    static final Duration FETCH_BACKOFF = Duration.ofMinutes(5);

    private static final class Failure {
        final String recordId;
        final Instant at;

        Failure(String recordId, Instant at) {
            this.recordId = recordId;
            this.at = at;
        }
    }

    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    /** @return whether fetching {@code recordId} of {@code domain} must wait */
    boolean isBackingOff(String domain, String recordId, Instant now) {
        Failure failure = failures.get(domain);
        return failure != null && failure.recordId.equals(recordId) && now.isBefore(failure.at.plus(FETCH_BACKOFF));
    }

    /** When fetching {@code domain} may be tried again after a failure at {@code now}. */
    Instant retryAt(Instant now) {
        return now.plus(FETCH_BACKOFF);
    }

    void failed(String domain, String recordId, Instant now) {
        failures.put(domain, new Failure(recordId, now));
    }

    void succeeded(String domain) {
        failures.remove(domain);
    }

    /** Forgets failures whose back-off is over, so that the map stays as small as the set of failing domains. */
    void expire(Instant now) {
        failures.values().removeIf(failure -> !now.isBefore(failure.at.plus(FETCH_BACKOFF)));
    }
}
