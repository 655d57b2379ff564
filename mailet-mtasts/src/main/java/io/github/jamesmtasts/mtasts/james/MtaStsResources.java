package io.github.jamesmtasts.mtasts.james;

import java.io.FileNotFoundException;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.utils.PropertiesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.dane.DaneSettings;
import io.github.jamesmtasts.mtasts.dane.ValidatingDaneLookup;
import io.github.jamesmtasts.mtasts.engine.EngineSettings;
import io.github.jamesmtasts.mtasts.engine.PolicyEngine;
import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.PolicyRefresher;
import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.james.LoopMetrics;
import io.github.jamesmtasts.tlsrpt.dns.DnsJavaTxtResolver;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptStorage;

/**
 * The process-wide MTA-STS / TLS-RPT state James shares between mailets, WebAdmin routes and startables: one
 * database (embedded H2 under {@code var/mta-sts/}, or PostgreSQL), the TLS-RPT store with its batching recorder,
 * and the policy engine (resolver, durable cache, daily refresher). Configured by {@code conf/mta-sts.properties},
 * whose keys are {@link EngineSettings}' and {@link DaneSettings}' (all optional; docs/configuration.md lists them).
 *
 * <p>Closed by James at shutdown ({@code @PreDestroy}): the recorder writes its last counts first.
 */
@Singleton
public class MtaStsResources {

    public static final String CONFIGURATION_NAME = "mta-sts";
    private static final String SOURCE = "conf/" + CONFIGURATION_NAME + ".properties";

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsResources.class);

    private final Database database;
    private final TlsRptStorage tlsRpt;
    private final PolicyEngine engine;
    private final DaneSettings daneSettings;
    private final Clock clock;
    private Optional<ValidatingDaneLookup> daneLookup = Optional.empty();

    @Inject
    public MtaStsResources(PropertiesProvider propertiesProvider, FileSystem fileSystem, MetricFactory metricFactory,
                           Clock clock) {
        // Every setting is parsed and checked before the database is opened; only an unreadable fetch trust store is
        // found later (when the engine builds its HTTPS client), and then the database is closed again.
        Map<String, String> values = read(propertiesProvider);
        java.nio.file.Path workingDirectory = workingDirectory(fileSystem);
        EngineSettings settings = EngineSettings.parse(values, workingDirectory, SOURCE);
        // Parsed now, so that a wrong dane.* key stops James at start; the lookup itself opens on first use.
        Properties daneProperties = new Properties();
        daneProperties.putAll(values);
        this.daneSettings = DaneSettings.fromProperties(daneProperties, workingDirectory);
        this.clock = clock;
        this.database = Database.open(settings.database());
        TlsRptStorage storage = null;
        try {
            storage = TlsRptStorage.on(database, clock, settings.recorder());
            // Inside James, dnsjava's default resolver is James's own (its servers, its cache).
            this.engine = PolicyEngine.start(settings, database, clock, DnsJavaTxtResolver.usingDefaultResolver(),
                storage.recorder(), new MetricsResolverListener(metricFactory));
        } catch (RuntimeException e) {
            if (storage != null) {
                storage.close();
            }
            database.close();
            throw e;
        }
        this.tlsRpt = storage;
        LoopMetrics.countFailures(recorderLiveness(), metricFactory);
        refresherLiveness().ifPresent(liveness -> LoopMetrics.countFailures(liveness, metricFactory));
        LOGGER.info("MTA-STS / TLS-RPT state in the {}", database.description());
    }

    private static Map<String, String> read(PropertiesProvider propertiesProvider) {
        Configuration configuration;
        try {
            configuration = propertiesProvider.getConfiguration(CONFIGURATION_NAME);
        } catch (FileNotFoundException e) {
            LOGGER.info("No {}: embedded database and default settings", SOURCE);
            return Map.of();
        } catch (ConfigurationException e) {
            throw new IllegalStateException(SOURCE + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<String> keys = configuration.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            // commons-configuration splits nothing here (James disables list splitting); join defensively anyway.
            values.put(key, String.join(",", configuration.getStringArray(key)));
        }
        return values;
    }

    private static java.nio.file.Path workingDirectory(FileSystem fileSystem) {
        try {
            return fileSystem.getBasedir().toPath();
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("Cannot locate James's working directory for the embedded MTA-STS database;"
                + " set " + EngineSettings.STORE_JDBC_URL + " in " + SOURCE, e);
        }
    }

    public DefaultPolicyResolver resolver() {
        return engine.resolver();
    }

    /** The daily policy refresher's liveness; empty when {@code refresh.enabled = false}. */
    public Optional<LoopLiveness> refresherLiveness() {
        return engine.refresher().map(PolicyRefresher::liveness);
    }

    /** The TLS-RPT recorder's writer loop liveness. */
    public LoopLiveness recorderLiveness() {
        return tlsRpt.recorder().liveness();
    }

    /**
     * The process-wide DNSSEC-validating DANE lookup ({@code dane.*} of {@code conf/mta-sts.properties}), opened on
     * the first ask: only a delivery mailet that enables DANE asks ({@link DaneLookups}), so James without DANE never
     * opens it. Empty when it cannot be opened (no DNS resolver): such a mailet then refuses to start.
     */
    public synchronized Optional<DaneLookup> daneLookup() {
        if (daneLookup.isEmpty()) {
            try {
                daneLookup = Optional.of(daneSettings.open(clock));
                LOGGER.info("DANE: DNSSEC-validating lookups opened ({})", daneLookup.get());
            } catch (RuntimeException e) {
                LOGGER.error("DANE: the DNSSEC-validating lookup cannot be opened", e);
                return Optional.empty();
            }
        }
        return daneLookup.map(lookup -> lookup);
    }

    /** The validating lookup if a delivery mailet opened it; never opens it (health checks, WebAdmin). */
    public synchronized Optional<ValidatingDaneLookup> openedDaneLookup() {
        return daneLookup;
    }

    public TlsRptStorage tlsRpt() {
        return tlsRpt;
    }

    public Database database() {
        return database;
    }

    @PreDestroy
    public void close() {
        try {
            engine.close();
            tlsRpt.close();
        } finally {
            database.close();
        }
    }
}
