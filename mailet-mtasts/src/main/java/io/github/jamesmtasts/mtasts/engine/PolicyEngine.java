package io.github.jamesmtasts.mtasts.engine;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.mtasts.cache.JdbcPolicyStore;
import io.github.jamesmtasts.mtasts.discover.StsRecordDiscovery;
import io.github.jamesmtasts.mtasts.fetch.HttpsPolicyFetcher;
import io.github.jamesmtasts.mtasts.fetch.PolicyFetcher;
import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.PolicyRefresher;
import io.github.jamesmtasts.mtasts.resolve.ResolverListener;
import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.store.Database;

/**
 * Builds and owns the MTA-STS policy engine: TXT discovery, HTTPS fetcher, durable policy store, resolver, and the
 * daily refresher on its own daemon thread, and the bounded pool that runs the policy discoveries of deliveries
 * (design rule H6), on a database shared with the TLS-RPT store. No James types: the James glue starts it and closes
 * it.
 */
public final class PolicyEngine implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyEngine.class);

    private final DefaultPolicyResolver resolver;
    private final Optional<ScheduledExecutorService> refresherThread;
    private final Optional<PolicyRefresher> refresher;
    private final ExecutorService discoveries;

    private PolicyEngine(DefaultPolicyResolver resolver, Optional<ScheduledExecutorService> refresherThread,
                         Optional<PolicyRefresher> refresher, ExecutorService discoveries) {
        this.resolver = resolver;
        this.refresherThread = refresherThread;
        this.refresher = refresher;
        this.discoveries = discoveries;
    }

    /**
     * Starts the engine on a database its owner shares with other components (the TLS-RPT store) and closes after
     * the engine; {@code settings.database()} is not used.
     *
     * @throws IllegalArgumentException for an unusable setting (e.g. an unreadable trust store), naming it
     */
    public static PolicyEngine start(EngineSettings settings, Database database, Clock clock, TxtResolver dns,
                                     TlsRptRecorder recorder, ResolverListener listener) {
        return start(settings, database, new HttpsPolicyFetcher(settings.fetch(), GuardedConnector.Resolver.JVM), clock, dns, recorder, listener);
    }

    static PolicyEngine start(EngineSettings settings, Database database, PolicyFetcher fetcher, Clock clock,
                              TxtResolver dns, TlsRptRecorder recorder, ResolverListener listener) {
        Objects.requireNonNull(clock, "clock");
        ExecutorService discoveries = discoveryPool(settings.resolver().discoveryThreads(),
            settings.resolver().discoveryQueue());
        DefaultPolicyResolver resolver;
        try {
            resolver = DefaultPolicyResolver.start(new StsRecordDiscovery(dns)::discover, fetcher,
                JdbcPolicyStore.create(database), recorder, listener, settings.resolver(), clock, discoveries);
        } catch (RuntimeException e) {
            discoveries.shutdownNow();
            throw e;
        }
        if (!settings.refreshEnabled()) {
            LOGGER.warn("MTA-STS proactive policy refresh is disabled ({} = false): cached policies are refreshed only"
                + " when deliveries need them, and may lapse (RFC 8461 3.3 recommends a daily refresh)",
                EngineSettings.REFRESH_ENABLED);
            return new PolicyEngine(resolver, Optional.empty(), Optional.empty(), discoveries);
        }
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "mtasts-policy-refresher");
            t.setDaemon(true);
            return t;
        });
        PolicyRefresher refresher = new PolicyRefresher(resolver, thread, new Random(), clock, listener);
        refresher.start();
        LOGGER.info("MTA-STS policy engine started on the {}", database.description());
        return new PolicyEngine(resolver, Optional.of(thread), Optional.of(refresher), discoveries);
    }

    /**
     * H6: bounded threads and a bounded queue; when both are full the pool refuses the discovery (AbortPolicy) and
     * the resolver defers that delivery. Idle threads end after a minute.
     */
    static ThreadPoolExecutor discoveryPool(int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread t = new Thread(runnable, "mtasts-policy-discovery-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(queue), factory, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The resolver deliveries call; also offers show / forget for operators. */
    public DefaultPolicyResolver resolver() {
        return resolver;
    }

    /** Empty when {@code refresh.enabled = false}. */
    public Optional<PolicyRefresher> refresher() {
        return refresher;
    }

    /** Stops the refresher and the discovery pool and saves last-use times; the database stays open. */
    @Override
    public void close() {
        refresher.ifPresent(PolicyRefresher::close);
        refresherThread.ifPresent(ScheduledExecutorService::shutdownNow);
        discoveries.shutdownNow();
        try {
            resolver.maintain();
        } catch (RuntimeException e) {
            LOGGER.warn("MTA-STS policy cache: could not save last-use times at shutdown", e);
        }
    }
}
