package io.github.jamesmtasts.mtasts.dane;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.xbill.DNS.ResolverConfig;

import io.github.jamesmtasts.mtasts.engine.SettingValues;

/**
 * How DANE's DNSSEC lookups are made, read from the {@code dane.*} keys of James's {@code conf/mta-sts.properties}
 * (docs/configuration.md): upstream resolvers, trust anchors, timeouts and the answer cache. Every key is optional;
 * unknown {@code dane.*} keys are refused (a typo must not silently fall back to a default). Errors name the key,
 * the bad value and what is accepted. Immutable; {@link #open(Clock)} builds the {@link ValidatingDaneLookup}.
 */
public final class DaneSettings {
    public static final String RESOLVERS = "dane.resolvers";
    public static final String TRUST_ANCHORS = "dane.trustAnchors";
    public static final String QUERY_TIMEOUT = "dane.queryTimeout";
    public static final String LOOKUP_DEADLINE = "dane.lookupDeadline";
    public static final String CACHE_ENTRIES = "dane.cacheEntries";
    public static final String MAX_TTL = "dane.maxTtl";
    public static final String FAILURE_TTL = "dane.failureTtl";

    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration MAX_QUERY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_LOOKUP_DEADLINE = Duration.ofSeconds(20);
    public static final Duration MAX_LOOKUP_DEADLINE = Duration.ofMinutes(5);
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;
    public static final int MAX_CACHE_ENTRIES = 1_000_000;
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(1);
    public static final Duration MAX_MAX_TTL = Duration.ofDays(1);
    public static final Duration DEFAULT_FAILURE_TTL = Duration.ofSeconds(30);
    public static final Duration MAX_FAILURE_TTL = Duration.ofHours(1);
    /** H2: at most this many upstream resolvers. */
    public static final int MAX_RESOLVERS = 10;

    private static final Set<String> KEYS = Set.of(RESOLVERS, TRUST_ANCHORS, QUERY_TIMEOUT, LOOKUP_DEADLINE,
        CACHE_ENTRIES, MAX_TTL, FAILURE_TTL);
    private static final String PREFIX = "dane.";

    private final List<InetSocketAddress> resolvers;
    private final DnssecTrustAnchors trustAnchors;
    private final Duration queryTimeout;
    private final Duration lookupDeadline;
    private final int cacheEntries;
    private final Duration maxTtl;
    private final Duration failureTtl;

    private DaneSettings(List<InetSocketAddress> resolvers, DnssecTrustAnchors trustAnchors, Duration queryTimeout,
                         Duration lookupDeadline, int cacheEntries, Duration maxTtl, Duration failureTtl) {
        this.resolvers = List.copyOf(resolvers);
        this.trustAnchors = Objects.requireNonNull(trustAnchors);
        this.queryTimeout = Objects.requireNonNull(queryTimeout);
        this.lookupDeadline = Objects.requireNonNull(lookupDeadline);
        this.cacheEntries = cacheEntries;
        this.maxTtl = Objects.requireNonNull(maxTtl);
        this.failureTtl = Objects.requireNonNull(failureTtl);
    }

    /** The system's resolvers, the root KSKs, and the default bounds. */
    public static DaneSettings defaults() {
        return new DaneSettings(List.of(), DnssecTrustAnchors.rootKsks(), DEFAULT_QUERY_TIMEOUT,
            DEFAULT_LOOKUP_DEADLINE, DEFAULT_CACHE_ENTRIES, DEFAULT_MAX_TTL, DEFAULT_FAILURE_TTL);
    }

    /** Relative trust anchor paths resolve against the current directory (James's working directory). */
    public static DaneSettings fromProperties(Properties properties) {
        return fromProperties(properties, Path.of(""));
    }

    /**
     * @param workingDirectory what a relative {@code dane.trustAnchors} path is relative to
     * @throws IllegalArgumentException naming the key, its value and what is accepted
     */
    public static DaneSettings fromProperties(Properties properties, Path workingDirectory) {
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        SettingValues settings = new SettingValues(values, "conf/mta-sts.properties");
        for (String key : values.keySet()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key)) {
                throw new IllegalArgumentException(settings.source() + ": unknown setting '" + key
                    + "'; known DANE settings: " + new TreeSet<>(KEYS));
            }
        }
        DnssecTrustAnchors anchors = DnssecTrustAnchors.rootKsks();
        Optional<String> anchorFile = settings.text(TRUST_ANCHORS);
        if (anchorFile.isPresent()) {
            try {
                anchors = DnssecTrustAnchors.fromFile(workingDirectory.resolve(anchorFile.get()));
            } catch (IllegalArgumentException e) { // also InvalidPathException
                throw new IllegalArgumentException(settings.source() + ": " + TRUST_ANCHORS + ": " + e.getMessage(), e);
            }
        }
        return new DaneSettings(resolvers(settings), anchors,
            settings.duration(QUERY_TIMEOUT, DEFAULT_QUERY_TIMEOUT, Duration.ofMillis(100), MAX_QUERY_TIMEOUT),
            settings.duration(LOOKUP_DEADLINE, DEFAULT_LOOKUP_DEADLINE, Duration.ofMillis(100), MAX_LOOKUP_DEADLINE),
            settings.integer(CACHE_ENTRIES, DEFAULT_CACHE_ENTRIES, 0, MAX_CACHE_ENTRIES),
            settings.duration(MAX_TTL, DEFAULT_MAX_TTL, Duration.ZERO, MAX_MAX_TTL),
            settings.duration(FAILURE_TTL, DEFAULT_FAILURE_TTL, Duration.ZERO, MAX_FAILURE_TTL));
    }

    private static List<InetSocketAddress> resolvers(SettingValues settings) {
        Optional<String> text = settings.text(RESOLVERS);
        if (text.isEmpty()) {
            return List.of();
        }
        List<InetSocketAddress> resolvers = new ArrayList<>();
        for (String item : text.get().split(",")) {
            String entry = item.trim();
            Optional<InetSocketAddress> address = ResolverAddress.parse(entry);
            if (address.isEmpty()) {
                throw settings.error(RESOLVERS, text.get(), "a comma-separated list of IP addresses with optional"
                    + " ports, e.g. 127.0.0.1:53, [::1]:5353 ('" + entry + "' is none; name servers are given by"
                    + " address)");
            }
            resolvers.add(address.get());
        }
        if (resolvers.size() > MAX_RESOLVERS) {
            throw settings.error(RESOLVERS, text.get(), "at most " + MAX_RESOLVERS + " resolvers");
        }
        return resolvers;
    }

    public DaneSettings withResolvers(List<InetSocketAddress> resolvers) {
        return new DaneSettings(resolvers, trustAnchors, queryTimeout, lookupDeadline, cacheEntries, maxTtl,
            failureTtl);
    }

    public DaneSettings withTrustAnchors(DnssecTrustAnchors trustAnchors) {
        return new DaneSettings(resolvers, trustAnchors, queryTimeout, lookupDeadline, cacheEntries, maxTtl,
            failureTtl);
    }

    public DaneSettings withQueryTimeout(Duration queryTimeout) {
        return new DaneSettings(resolvers, trustAnchors, queryTimeout, lookupDeadline, cacheEntries, maxTtl,
            failureTtl);
    }

    public DaneSettings withLookupDeadline(Duration lookupDeadline) {
        return new DaneSettings(resolvers, trustAnchors, queryTimeout, lookupDeadline, cacheEntries, maxTtl,
            failureTtl);
    }

    public DaneSettings withCache(int cacheEntries, Duration maxTtl, Duration failureTtl) {
        return new DaneSettings(resolvers, trustAnchors, queryTimeout, lookupDeadline, cacheEntries, maxTtl,
            failureTtl);
    }

    /**
     * The validating lookup these settings describe; without configured resolvers, the system's resolvers as
     * dnsjava's {@code ResolverConfig} finds them (resolv.conf and the like).
     *
     * @param clock what signatures are checked against and cache entries expire by
     * @throws IllegalStateException when no resolver is configured and the system has none
     */
    public ValidatingDaneLookup open(Clock clock) {
        List<InetSocketAddress> upstreams = resolvers;
        if (upstreams.isEmpty()) {
            upstreams = ResolverConfig.getCurrentConfig().servers();
            if (upstreams.isEmpty()) {
                throw new IllegalStateException("DANE: the system has no DNS resolver; set " + RESOLVERS
                    + " in conf/mta-sts.properties");
            }
            upstreams = upstreams.subList(0, Math.min(upstreams.size(), MAX_RESOLVERS));
        }
        SecureAnswerCache cache = new SecureAnswerCache(clock, cacheEntries, maxTtl, failureTtl);
        Duration queryBound = queryTimeout.compareTo(lookupDeadline) > 0 ? lookupDeadline : queryTimeout;
        SecureResolver resolver = SecureResolver.over(upstreams, trustAnchors, queryBound, clock, cache);
        return new ValidatingDaneLookup(resolver, trustAnchors, lookupDeadline);
    }

    /** Configured upstream resolvers; empty means the system's. */
    public List<InetSocketAddress> resolvers() {
        return resolvers;
    }

    public DnssecTrustAnchors trustAnchors() {
        return trustAnchors;
    }

    public Duration queryTimeout() {
        return queryTimeout;
    }

    public Duration lookupDeadline() {
        return lookupDeadline;
    }

    public int cacheEntries() {
        return cacheEntries;
    }

    public Duration maxTtl() {
        return maxTtl;
    }

    public Duration failureTtl() {
        return failureTtl;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DaneSettings)) {
            return false;
        }
        DaneSettings that = (DaneSettings) o;
        return cacheEntries == that.cacheEntries && resolvers.equals(that.resolvers)
            && trustAnchors.equals(that.trustAnchors) && queryTimeout.equals(that.queryTimeout)
            && lookupDeadline.equals(that.lookupDeadline) && maxTtl.equals(that.maxTtl)
            && failureTtl.equals(that.failureTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resolvers, trustAnchors, queryTimeout, lookupDeadline, cacheEntries, maxTtl, failureTtl);
    }

    @Override
    public String toString() {
        return "DaneSettings{resolvers " + (resolvers.isEmpty() ? "system" : resolvers) + ", " + trustAnchors
            + ", queryTimeout " + queryTimeout + ", lookupDeadline " + lookupDeadline + ", cache " + cacheEntries
            + " entries, maxTtl " + maxTtl + ", failureTtl " + failureTtl + "}";
    }
}
