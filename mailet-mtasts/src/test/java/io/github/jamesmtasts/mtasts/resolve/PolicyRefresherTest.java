package io.github.jamesmtasts.mtasts.resolve;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

class PolicyRefresherTest {

    static final DomainName A = name("a.test");
    static final DomainName B = name("b.test");
    static final long WEEK = 604_800;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final SettableClock clock = new SettableClock(T0);
    final FakeRecordLookup dns = new FakeRecordLookup().withId(A.asString(), "a1").withId(B.asString(), "b1");
    final FakeFetcher https = new FakeFetcher()
        .serving(A.asString(), FakeFetcher.policyText("enforce", WEEK, "mx.a.test"))
        .serving(B.asString(), FakeFetcher.policyText("testing", WEEK, "mx.b.test"));
    final InMemoryPolicyStore store = new InMemoryPolicyStore();
    final List<String> alerts = new CopyOnWriteArrayList<>();
    final ResolverListener listener = new ResolverListener() {
        @Override
        public void refreshFailure(String domain, int consecutiveFailures, boolean alert) {
            alerts.add(domain + " " + consecutiveFailures + " " + alert);
        }
    };
    final DefaultPolicyResolver resolver = DefaultPolicyResolver.start(dns, https, store, new CollectingRecorder(),
        listener, ResolverSettings.defaults(), clock);
    final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    final PolicyRefresher refresher = new PolicyRefresher(resolver, executor, new Random(42), clock, listener);

    @AfterEach
    void stop() {
        refresher.close();
        executor.shutdownNow();
    }

    @Test
    void rule_R_runOnceShouldRecheckTheIdOfEveryCachedPolicyWithoutRefetchingFreshOnes() {
        resolver.resolve(A);
        resolver.resolve(B);
        clock.advance(Duration.ofDays(1));

        PolicyRefresher.Summary summary = refresher.runOnce();

        assertThat(summary.checked()).isEqualTo(2);
        assertThat(summary.failed()).isZero();
        assertThat(dns.lookups(A.asString())).isEqualTo(2);
        assertThat(https.fetches(A.asString())).isEqualTo(1);
        assertThat(resolver.cached(A).get().lastCheckedAt()).isEqualTo(clock.instant());
    }

    @Test
    void rule_R_runOnceShouldRefetchAPolicyPastHalfItsLifetimeSoThatItDoesNotExpire() {
        resolver.resolve(A);
        clock.advance(Duration.ofSeconds(WEEK / 2));

        refresher.runOnce();

        assertThat(https.fetches(A.asString())).isEqualTo(2);
        assertThat(resolver.cached(A).get().expiresAt()).isEqualTo(clock.instant().plusSeconds(WEEK));
    }

    @Test
    void rule_R_runOnceShouldFetchANewIdAndKeepTheOldPolicyWhenThatFails() {
        resolver.resolve(A);
        dns.withId(A.asString(), "a2");
        https.failing(A.asString(), ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404");
        clock.advance(Duration.ofDays(1));

        PolicyRefresher.Summary summary = refresher.runOnce();

        assertThat(summary.failed()).isEqualTo(1);
        assertThat(resolver.resolve(A).policyId()).contains("a1");
    }

    @Test
    void rule_R_repeatedRefreshFailuresShouldRaiseAnAlertAtTheThreshold() {
        resolver.resolve(A);
        dns.with(A.asString(), TxtRecordOutcome.dnsError("SERVFAIL"));

        for (int day = 1; day <= ResolverSettings.DEFAULT_ALERT_AFTER_FAILURES; day++) {
            clock.advance(Duration.ofDays(1));
            PolicyRefresher.Summary summary = refresher.runOnce();
            assertThat(summary.alerts()).isEqualTo(day < ResolverSettings.DEFAULT_ALERT_AFTER_FAILURES ? 0 : 1);
        }
        assertThat(alerts).containsExactly("a.test 1 false", "a.test 2 false", "a.test 3 true");
    }

    @Test
    void successfulRefreshShouldResetTheFailureCount() {
        resolver.resolve(A);
        dns.with(A.asString(), TxtRecordOutcome.dnsError("SERVFAIL"));
        clock.advance(Duration.ofDays(1));
        refresher.runOnce();
        dns.withId(A.asString(), "a1");
        clock.advance(Duration.ofDays(1));

        assertThat(refresher.runOnce().failed()).isZero();
        assertThat(resolver.cached(A).get().consecutiveFailures()).isZero();
    }

    @Test
    void rule_R_runOnceShouldNeitherRefreshNorAlertForModeNone() {
        dns.withId("none.test", "n1");
        https.serving("none.test", FakeFetcher.policyText("none", WEEK));
        resolver.resolve(name("none.test"));
        dns.with("none.test", TxtRecordOutcome.dnsError("SERVFAIL"));
        clock.advance(Duration.ofDays(1));

        PolicyRefresher.Summary summary = refresher.runOnce();

        assertThat(summary.checked()).isZero();
        assertThat(dns.lookups("none.test")).isEqualTo(1);
        assertThat(alerts).isEmpty();
    }

    @Test
    void runOnceShouldLeaveUnusedPoliciesToExpireAndThenEvictThem() {
        resolver.resolve(A);
        clock.advance(ResolverSettings.DEFAULT_EVICT_UNUSED_AFTER.plusSeconds(1));

        PolicyRefresher.Summary summary = refresher.runOnce();

        assertThat(summary.checked()).isZero();
        assertThat(summary.evicted()).isEqualTo(1);
        assertThat(store.row(A)).isEmpty();
    }

    @Test
    void nextDelayShouldBeADayGiveOrTakeHalfTheJitterAndFollowTheSeed() {
        PolicyRefresher twin = new PolicyRefresher(resolver, executor, new Random(42), clock, listener);

        for (int i = 0; i < 20; i++) {
            Duration delay = refresher.nextDelay();
            assertThat(delay).isBetween(PolicyRefresher.PERIOD.minus(PolicyRefresher.JITTER.dividedBy(2)),
                PolicyRefresher.PERIOD.plus(PolicyRefresher.JITTER.dividedBy(2)));
            assertThat(twin.nextDelay()).isEqualTo(delay);
        }
    }

    @Test
    void startShouldScheduleOneRunAndCloseShouldCancelIt() {
        refresher.start();
        assertThat(executor.getQueue()).hasSize(1);

        refresher.close();

        assertThat(executor.getQueue().peek()).satisfies(task -> assertThat(((java.util.concurrent.Future<?>) task)
            .isCancelled()).isTrue());
    }
}
