package io.github.jamesmtasts.mtasts.resolve;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.health.LoopStatus;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/** Design H1 for the daily refresher: one domain that throws anything never stops the refresh of the others. */
class PolicyRefresherSurvivalTest {

    static final DomainName HOSTILE = name("a-hostile.test");
    static final DomainName B = name("b.test");
    static final long WEEK = 604_800;

    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeRecordLookup dns = new FakeRecordLookup().withId(HOSTILE.asString(), "h1").withId(B.asString(), "b1");
    final Set<String> blowingUp = ConcurrentHashMap.newKeySet();
    volatile Supplier<Throwable> failure = StackOverflowError::new;
    final RecordLookup lookup = domain -> {
        if (blowingUp.contains(domain.asString())) {
            throw PolicyRefresherSurvivalTest.<RuntimeException>sneaky(failure.get());
        }
        return dns.lookup(domain);
    };
    final FakeFetcher https = new FakeFetcher()
        .serving(HOSTILE.asString(), FakeFetcher.policyText("enforce", WEEK, "mx.a-hostile.test"))
        .serving(B.asString(), FakeFetcher.policyText("enforce", WEEK, "mx.b.test"));
    final DefaultPolicyResolver resolver = DefaultPolicyResolver.start(lookup, https, new InMemoryPolicyStore(),
        new CollectingRecorder(), new ResolverListener() { }, ResolverSettings.defaults(), clock);
    final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    final PolicyRefresher refresher = new PolicyRefresher(resolver, executor, new Random(42), clock,
        new ResolverListener() { });

    @AfterEach
    void stop() {
        refresher.close();
        executor.shutdownNow();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
            Arguments.of("StackOverflowError", (Supplier<Throwable>) StackOverflowError::new),
            Arguments.of("OutOfMemoryError", (Supplier<Throwable>) () -> new OutOfMemoryError("test")),
            Arguments.of("RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("test")));
    }

    @ParameterizedTest(name = "H1 refresh survives {0} in one domain")
    @MethodSource("failures")
    void domainWhoseRefreshThrowsShouldBeSkippedAndTheOthersRefreshed(String name, Supplier<Throwable> thrown) {
        resolver.resolve(HOSTILE);
        resolver.resolve(B);
        failure = thrown;
        blowingUp.add(HOSTILE.asString());
        clock.advance(Duration.ofDays(1));

        PolicyRefresher.Summary summary = refresher.runOnce();

        assertThat(summary.checked()).isEqualTo(2);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(dns.lookups(B.asString())).isEqualTo(2);
        assertThat(resolver.cached(B).get().lastCheckedAt()).isEqualTo(clock.instant());
        assertThat(refresher.liveness().failures()).isEqualTo(1);
    }

    @Test
    void startedRefresherShouldBeHealthyAndClosedOneUnhealthy() {
        refresher.start();
        LoopStatus running = refresher.liveness().status();

        refresher.close();

        assertThat(running).isEqualTo(LoopStatus.healthy());
        assertThat(refresher.liveness().status().kind()).isEqualTo(LoopStatus.Kind.UNHEALTHY);
    }

    @Test
    void refresherThatCompletedNoRunWithinItsBoundShouldBeUnhealthy() {
        refresher.start();
        clock.advance(PolicyRefresher.LIVENESS_BOUND.plusSeconds(1));

        assertThat(refresher.liveness().status().kind()).isEqualTo(LoopStatus.Kind.UNHEALTHY);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
