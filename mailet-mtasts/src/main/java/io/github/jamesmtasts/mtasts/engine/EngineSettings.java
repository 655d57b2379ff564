package io.github.jamesmtasts.mtasts.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import io.github.jamesmtasts.mtasts.fetch.FetchSettings;
import io.github.jamesmtasts.mtasts.resolve.ResolverSettings;
import io.github.jamesmtasts.tlsrpt.recorder.RecorderSettings;
import io.github.jamesmtasts.tlsrpt.net.TrustSettings;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;

/**
 * The MTA-STS policy engine's configuration, read from plain key/value text (James's
 * {@code conf/mta-sts.properties}). Every key is optional; docs/mta-sts-cache.md lists them. Errors name the key, the bad value and
 * what is accepted. Keys under {@code store.}, {@code fetch.}, {@code resolver.} and {@code refresh.} that are not
 * known are refused (a typo must not silently fall back to a default); other keys are left to other components.
 */
public final class EngineSettings {

    public static final String STORE_JDBC_URL = "store.jdbcUrl";
    public static final String STORE_USER = "store.user";
    public static final String STORE_PASSWORD = "store.password";
    public static final String STORE_POOL_SIZE = "store.poolSize";
    public static final String STORE_EMBEDDED_PATH = "store.embeddedPath";
    public static final String FETCH_TIMEOUT = "fetch.timeout";
    public static final String FETCH_STRICT_MEDIA_TYPE = "fetch.strictMediaType";
    /**
     * Policy hosts' trust and SSRF allow-list in the one scheme ({@code fetch.trustStore}, {@code fetch.trustStoreType},
     * {@code fetch.trustStorePassword}, {@code fetch.allowNetworks}); the dotted names of earlier versions stay aliases.
     */
    public static final TrustSettings FETCH_TRUST = TrustSettings.scope("fetch")
        .withAlias(TrustSettings.TRUST_STORE_TYPE, "fetch.trustStore.type")
        .withAlias(TrustSettings.TRUST_STORE_PASSWORD, "fetch.trustStore.password");
    public static final String FETCH_TRUST_STORE = FETCH_TRUST.name(TrustSettings.TRUST_STORE);
    public static final String FETCH_TRUST_STORE_TYPE = FETCH_TRUST.name(TrustSettings.TRUST_STORE_TYPE);
    public static final String FETCH_TRUST_STORE_PASSWORD = FETCH_TRUST.name(TrustSettings.TRUST_STORE_PASSWORD);
    /** The name the fetcher's SSRF refusals tell administrators to change. */
    public static final String FETCH_ALLOW_NETWORKS = FETCH_TRUST.name(TrustSettings.ALLOW_NETWORKS);
    public static final String RESOLVER_MIN_CHECK_INTERVAL = "resolver.minCheckInterval";
    public static final String RESOLVER_EVICT_UNUSED_AFTER = "resolver.evictUnusedAfter";
    public static final String RESOLVER_POLICY_WAIT = "resolver.policyWait";
    public static final String RESOLVER_POLICY_DEFERRAL = "resolver.policyDeferral";
    public static final String RESOLVER_DISCOVERY_THREADS = "resolver.discoveryThreads";
    public static final String RESOLVER_DISCOVERY_QUEUE = "resolver.discoveryQueue";
    public static final String REFRESH_ENABLED = "refresh.enabled";
    public static final String REFRESH_ALERT_AFTER_FAILURES = "refresh.alertAfterFailures";
    public static final String RECORDER_GROUP_COMMIT = "recorder.groupCommit";
    public static final String RECORDER_COMMIT_WAIT = "recorder.commitWait";
    /** Relative to James's working directory. */
    public static final String DEFAULT_EMBEDDED_PATH = "var/mta-sts/mtasts";

    private static final Set<String> KEYS = keys(STORE_JDBC_URL, STORE_USER, STORE_PASSWORD, STORE_POOL_SIZE,
        STORE_EMBEDDED_PATH, FETCH_TIMEOUT, FETCH_STRICT_MEDIA_TYPE, RESOLVER_MIN_CHECK_INTERVAL,
        RESOLVER_EVICT_UNUSED_AFTER, REFRESH_ENABLED, REFRESH_ALERT_AFTER_FAILURES, RESOLVER_POLICY_WAIT,
        RESOLVER_POLICY_DEFERRAL, RESOLVER_DISCOVERY_THREADS, RESOLVER_DISCOVERY_QUEUE, RECORDER_GROUP_COMMIT,
        RECORDER_COMMIT_WAIT);
    private static final List<String> OWNED_PREFIXES = List.of("store.", "fetch.", "resolver.", "refresh.", "recorder.");

    private static Set<String> keys(String... own) {
        Set<String> keys = new java.util.HashSet<>(List.of(own));
        keys.addAll(FETCH_TRUST.allNames());
        return Set.copyOf(keys);
    }

    private final DatabaseSettings database;
    private final FetchSettings fetch;
    private final ResolverSettings resolver;
    private final boolean refreshEnabled;
    private final RecorderSettings recorder;

    private EngineSettings(DatabaseSettings database, FetchSettings fetch, ResolverSettings resolver,
                           boolean refreshEnabled, RecorderSettings recorder) {
        this.database = Objects.requireNonNull(database);
        this.fetch = Objects.requireNonNull(fetch);
        this.resolver = Objects.requireNonNull(resolver);
        this.refreshEnabled = refreshEnabled;
        this.recorder = Objects.requireNonNull(recorder);
    }

    /** With the default TLS-RPT recorder settings. */
    public static EngineSettings of(DatabaseSettings database, FetchSettings fetch, ResolverSettings resolver,
                                    boolean refreshEnabled) {
        return new EngineSettings(database, fetch, resolver, refreshEnabled, RecorderSettings.defaults());
    }

    /** @param workingDirectory James's working directory: relative paths and the embedded default resolve against it */
    public static EngineSettings parse(Properties properties, Path workingDirectory) {
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        return parse(values, workingDirectory, "MTA-STS settings");
    }

    /**
     * @param source how to name the configuration in errors, e.g. {@code conf/mta-sts.properties}
     * @throws IllegalArgumentException naming the key, its value and what is accepted
     */
    public static EngineSettings parse(Map<String, String> values, Path workingDirectory, String source) {
        SettingValues settings = new SettingValues(values, source);
        for (String key : values.keySet()) {
            if (OWNED_PREFIXES.stream().anyMatch(key::startsWith) && !KEYS.contains(key)) {
                throw new IllegalArgumentException(source + ": unknown setting '" + key + "'; known settings: "
                    + new java.util.TreeSet<>(KEYS));
            }
        }
        return new EngineSettings(database(settings, workingDirectory), fetch(settings, workingDirectory),
            resolver(settings), settings.bool(REFRESH_ENABLED, true), recorder(settings));
    }

    private static RecorderSettings recorder(SettingValues settings) {
        return RecorderSettings.defaults()
            .withGroupCommit(settings.duration(RECORDER_GROUP_COMMIT, RecorderSettings.DEFAULT_GROUP_COMMIT,
                Duration.ZERO, RecorderSettings.MAX_GROUP_COMMIT))
            .withCommitWait(settings.duration(RECORDER_COMMIT_WAIT, RecorderSettings.DEFAULT_COMMIT_WAIT,
                Duration.ZERO, RecorderSettings.MAX_COMMIT_WAIT));
    }

    private static DatabaseSettings database(SettingValues settings, Path workingDirectory) {
        int poolSize = settings.integer(STORE_POOL_SIZE, DatabaseSettings.DEFAULT_POOL_SIZE, 1, 100);
        Optional<String> url = settings.text(STORE_JDBC_URL);
        if (url.isPresent()) {
            try {
                return DatabaseSettings.postgresql(url.get(), settings.text(STORE_USER), settings.text(STORE_PASSWORD),
                    poolSize);
            } catch (IllegalArgumentException e) {
                throw settings.error(STORE_JDBC_URL, url.get(), "jdbc:postgresql://host:port/database, or leave it"
                    + " empty for the embedded database");
            }
        }
        Path file = workingDirectory.resolve(settings.text(STORE_EMBEDDED_PATH).orElse(DEFAULT_EMBEDDED_PATH));
        return DatabaseSettings.embedded(file);
    }

    private static FetchSettings fetch(SettingValues settings, Path workingDirectory) {
        FetchSettings fetch = FetchSettings.defaults()
            .withTimeout(settings.duration(FETCH_TIMEOUT, FetchSettings.MAX_TIMEOUT, Duration.ofMillis(1),
                FetchSettings.MAX_TIMEOUT))
            .withStrictMediaType(settings.bool(FETCH_STRICT_MEDIA_TYPE, true));
        try {
            Optional<TrustSource> trust = FETCH_TRUST.trustSource(settings::text, workingDirectory::resolve);
            if (trust.isPresent()) {
                fetch = fetch.withTrust(trust.get());
            }
            return fetch.withAllowNetworks(FETCH_TRUST.allowNetworks(settings::text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(settings.source() + ": " + e.getMessage(), e);
        }
    }

    private static ResolverSettings resolver(SettingValues settings) {
        return ResolverSettings.defaults()
            .withMinCheckInterval(settings.duration(RESOLVER_MIN_CHECK_INTERVAL,
                ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL, Duration.ofSeconds(1), ResolverSettings.MAX_CHECK_INTERVAL))
            .withEvictUnusedAfter(settings.duration(RESOLVER_EVICT_UNUSED_AFTER,
                ResolverSettings.DEFAULT_EVICT_UNUSED_AFTER, Duration.ofDays(1), Duration.ofDays(3650)))
            .withAlertAfterFailures(settings.integer(REFRESH_ALERT_AFTER_FAILURES,
                ResolverSettings.DEFAULT_ALERT_AFTER_FAILURES, 1, 1000))
            .withPolicyWait(settings.duration(RESOLVER_POLICY_WAIT, ResolverSettings.DEFAULT_POLICY_WAIT, Duration.ZERO,
                ResolverSettings.MAX_POLICY_WAIT))
            .withPolicyDeferral(settings.duration(RESOLVER_POLICY_DEFERRAL, ResolverSettings.DEFAULT_POLICY_DEFERRAL,
                ResolverSettings.MIN_POLICY_DEFERRAL, ResolverSettings.MAX_POLICY_DEFERRAL))
            .withDiscoveryThreads(settings.integer(RESOLVER_DISCOVERY_THREADS, ResolverSettings.DEFAULT_DISCOVERY_THREADS,
                1, ResolverSettings.MAX_DISCOVERY_THREADS))
            .withDiscoveryQueue(settings.integer(RESOLVER_DISCOVERY_QUEUE, ResolverSettings.DEFAULT_DISCOVERY_QUEUE, 1,
                ResolverSettings.MAX_DISCOVERY_QUEUE));
    }

    public DatabaseSettings database() {
        return database;
    }

    public FetchSettings fetch() {
        return fetch;
    }

    public ResolverSettings resolver() {
        return resolver;
    }

    /** How the TLS-RPT recorder writes: flushes, group commit and how long delivery waits for it. */
    public RecorderSettings recorder() {
        return recorder;
    }

    /** RFC 8461 3.3: proactive daily refresh; on by default. */
    public boolean refreshEnabled() {
        return refreshEnabled;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EngineSettings)) {
            return false;
        }
        EngineSettings that = (EngineSettings) o;
        return refreshEnabled == that.refreshEnabled && database.equals(that.database) && fetch.equals(that.fetch)
            && resolver.equals(that.resolver) && recorder.equals(that.recorder);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, fetch, resolver, refreshEnabled, recorder);
    }

    /** Never shows passwords. */
    @Override
    public String toString() {
        return "EngineSettings{" + database + ", " + fetch + ", " + resolver + ", refresh=" + refreshEnabled + ", "
            + recorder + "}";
    }
}
