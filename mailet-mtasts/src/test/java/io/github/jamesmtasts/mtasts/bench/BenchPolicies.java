package io.github.jamesmtasts.mtasts.bench;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.cache.PolicyStore;
import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.mtasts.resolve.CollectingRecorder;
import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.FakeFetcher;
import io.github.jamesmtasts.mtasts.resolve.ResolverListener;
import io.github.jamesmtasts.mtasts.resolve.ResolverSettings;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * A resolver whose every domain {@code d<i>.example.com} publishes a realistic two-mx enforce policy; lookups and
 * fetches build their answers on the fly and the store keeps nothing, so that the resolver's memory is all that grows.
 */
final class BenchPolicies {

    private BenchPolicies() {
    }

    static String domain(int i) {
        return "d" + i + ".example.com";
    }

    static DefaultPolicyResolver resolver(Clock clock) {
        // One log line per fetched policy would dominate both the benchmark set-up and the heap measurement.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        return DefaultPolicyResolver.start(
            // Every domain has its own id string, as in real life.
            domain -> TxtRecordOutcome.valid(StsRecord.of("20260101T" + Math.abs(domain.hashCode() % 1_000_000)), Duration.ofDays(1)),
            domain -> FakeFetcher.success(FakeFetcher.policyText("enforce", 31_557_600, "mx1." + domain,
                "*.mail." + domain)),
            new DiscardingStore(), new CollectingRecorder(), ResolverListener.NOOP,
            // Checks due only after a day: the benchmark measures warm decisions only.
            ResolverSettings.defaults().withMinCheckInterval(ResolverSettings.MAX_CHECK_INTERVAL), clock);
    }

    /** Fills the warm cache with {@code count} policies. */
    static void fill(DefaultPolicyResolver resolver, int count) {
        for (int i = 0; i < count; i++) {
            resolver.resolve(name(domain(i)));
        }
    }

    private static final class DiscardingStore implements PolicyStore {
        @Override
        public List<CachedPolicy> loadAll() {
            return List.of();
        }

        @Override
        public Optional<CachedPolicy> load(DomainName domain) {
            return Optional.empty();
        }

        @Override
        public boolean save(CachedPolicy policy) {
            return true;
        }

        @Override
        public void markUsed(DomainName domain, Instant when) {
        }

        @Override
        public boolean delete(DomainName domain) {
            return false;
        }

        @Override
        public boolean isDeleted(DomainName domain) {
            return false;
        }

        @Override
        public int evict(Instant now, Instant unusedSince) {
            return 0;
        }
    }
}
