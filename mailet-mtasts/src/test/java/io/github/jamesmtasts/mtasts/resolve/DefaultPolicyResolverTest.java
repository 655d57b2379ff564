package io.github.jamesmtasts.mtasts.resolve;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

class DefaultPolicyResolverTest {

    static final DomainName D = name("example.test");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String ENFORCE = FakeFetcher.policyText("enforce", 86_400, "mx.example.test");
    static final String TESTING = FakeFetcher.policyText("testing", 86_400, "*.example.test");

    final SettableClock clock = new SettableClock(T0);
    final FakeRecordLookup dns = new FakeRecordLookup();
    final FakeFetcher https = new FakeFetcher();
    final InMemoryPolicyStore store = new InMemoryPolicyStore();
    final CollectingRecorder recorder = new CollectingRecorder();

    DefaultPolicyResolver start() {
        return DefaultPolicyResolver.start(dns, https, store, recorder, ResolverListener.NOOP, ResolverSettings.defaults(),
            clock);
    }

    DefaultPolicyResolver withCachedEnforcePolicy() {
        dns.withId(D.asString(), "id1");
        https.serving(D.asString(), ENFORCE);
        DefaultPolicyResolver resolver = start();
        assertThat(resolver.resolve(D).policyId()).contains("id1");
        return resolver;
    }

    @Test
    void resolveShouldFetchAndApplyThePolicyWhenTheRecordIsValidAndNothingIsCached() {
        PolicyDecision decision = withCachedEnforcePolicy().resolve(name("Example.TEST."));

        assertThat(decision.kind()).isEqualTo(PolicyDecision.Kind.POLICY);
        assertThat(decision.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(decision.reportPolicy()).isEqualTo(ReportPolicy.sts(D.asString(), List.of("version: STSv1", "mode: enforce",
            "mx: mx.example.test", "max_age: 86400"), List.of("mx.example.test")));
        assertThat(https.fetches(D.asString())).isEqualTo(1);
        assertThat(store.row(D)).hasValueSatisfying(row -> assertThat(row.policyText()).isEqualTo(ENFORCE));
    }

    @Test
    void operatorRefetchShouldFetchAgainUnderAnUnchangedIdAndDespiteTheBackOff() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        https.serving(D.asString(), TESTING);

        assertThat(resolver.refetch(D).mode()).isEqualTo(Mode.TESTING);
        assertThat(https.fetches(D.asString())).isEqualTo(2);

        https.failing(D.asString(), ResultType.STS_POLICY_FETCH_ERROR, "HTTP 500");
        assertThat(resolver.refetch(D).mode()).isEqualTo(Mode.TESTING);
        // A back-off now runs for (D, id1); an operator's refetch is not held by it, and still keeps the policy.
        assertThat(resolver.refetch(D).mode()).isEqualTo(Mode.TESTING);
        assertThat(https.fetches(D.asString())).isEqualTo(4);
    }

    @Test
    void internationalisedDomainShouldBeResolvedAndReportedUnderItsALabels() {
        String aLabels = "xn--bcher-kva.example.test";
        dns.withId(aLabels, "id1");
        https.serving(aLabels, ENFORCE);

        PolicyDecision decision = start().resolve(name("B\u00fccher.Example.TEST."));

        assertThat(decision.domain().asString()).isEqualTo(aLabels);
        assertThat(decision.reportPolicy().policyDomain()).isEqualTo(aLabels);
        assertThat(decision.mode()).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void resolveShouldDoNoIoWhenTheCacheIsWarm() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        PolicyDecision first = resolver.resolve(D);
        int storeAccesses = store.accesses();
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL.minusSeconds(1));

        for (int i = 0; i < 1000; i++) {
            assertThat(resolver.resolve(D)).isSameAs(first);
        }
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
        assertThat(https.fetches(D.asString())).isEqualTo(1);
        assertThat(store.accesses()).isEqualTo(storeAccesses);
    }

    @Test
    void resolveShouldCheckTheIdWithoutFetchingWhenTheCheckIntervalPassedAndTheIdIsUnchanged() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);

        assertThat(resolver.resolve(D).policyId()).contains("id1");
        assertThat(dns.lookups(D.asString())).isEqualTo(2);
        assertThat(https.fetches(D.asString())).isEqualTo(1);
        assertThat(store.row(D).get().lastCheckedAt()).isEqualTo(clock.instant());
    }

    @Test
    void checkIntervalShouldBeTheRecordTtlWhenLongerThanTheMinimum() {
        dns.with(D.asString(), TxtRecordOutcome.valid(StsRecord.of("id1"), Duration.ofHours(1)));
        https.serving(D.asString(), ENFORCE);
        DefaultPolicyResolver resolver = start();
        resolver.resolve(D);

        clock.advance(Duration.ofMinutes(59));
        resolver.resolve(D);
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        resolver.resolve(D);
        assertThat(dns.lookups(D.asString())).isEqualTo(2);
    }

    @Test
    void idCheckShouldFollowARecordTtlShorterThanTheOldFiveMinuteMinimum() {
        // Issue 11: an id change must be seen quickly; the record's TTL decides, down to the 1-minute default minimum.
        dns.with(D.asString(), TxtRecordOutcome.valid(StsRecord.of("id1"), Duration.ofSeconds(90)));
        https.serving(D.asString(), ENFORCE);
        DefaultPolicyResolver resolver = start();
        resolver.resolve(D);

        clock.advance(Duration.ofSeconds(89));
        resolver.resolve(D);
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
        dns.with(D.asString(), TxtRecordOutcome.valid(StsRecord.of("id2"), Duration.ofSeconds(90)));
        https.serving(D.asString(), TESTING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(resolver.resolve(D).policyId()).contains("id2");
        assertThat(dns.lookups(D.asString())).isEqualTo(2);
    }

    @Test
    void idCheckShouldWaitTheOneMinuteDefaultMinimumWhenTheTtlIsShorter() {
        dns.with(D.asString(), TxtRecordOutcome.valid(StsRecord.of("id1"), Duration.ofSeconds(5)));
        https.serving(D.asString(), ENFORCE);
        DefaultPolicyResolver resolver = start();
        resolver.resolve(D);

        clock.advance(Duration.ofSeconds(59));
        resolver.resolve(D);
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        resolver.resolve(D);
        assertThat(dns.lookups(D.asString())).isEqualTo(2);
        assertThat(ResolverSettings.defaults().minCheckInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void maxAgeZeroPolicyShouldApplyToTheDeliveryThatFetchedItWithoutBeingCached() {
        // RFC 8461 3.2: max_age is a non-negative integer; 0 is valid and means "do not keep this policy".
        dns.withId(D.asString(), "id1");
        https.serving(D.asString(), FakeFetcher.policyText("enforce", 0, "mx.example.test"));
        DefaultPolicyResolver resolver = start();

        PolicyDecision decision = resolver.resolve(D);

        assertThat(decision.kind()).isEqualTo(PolicyDecision.Kind.POLICY);
        assertThat(decision.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(decision.reportPolicy().policyType()).isEqualTo(PolicyType.STS);
        assertThat(store.row(D)).isEmpty();
        assertThat(resolver.cached(D)).isEmpty();
        assertThat(resolver.resolve(D).mode()).isEqualTo(Mode.ENFORCE);
        assertThat(https.fetches(D.asString())).isEqualTo(2);
    }

    @Test
    void maxAgeZeroPolicyShouldReplaceThePolicyCachedBefore() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        dns.withId(D.asString(), "id2");
        https.serving(D.asString(), FakeFetcher.policyText("testing", 0, "*.example.test"));
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);

        PolicyDecision decision = resolver.resolve(D);

        assertThat(decision.policyId()).contains("id2");
        assertThat(decision.mode()).isEqualTo(Mode.TESTING);
        assertThat(store.row(D)).isEmpty();
        assertThat(resolver.cached(D)).isEmpty();
        // Nothing cached any more: a failing fetch now means "no policy" (RFC 8461 3.3), not the superseded enforce.
        https.failing(D.asString(), ResultType.STS_POLICY_FETCH_ERROR, "HTTP 500");
        assertThat(resolver.resolve(D).kind()).isEqualTo(PolicyDecision.Kind.NO_POLICY);
    }

    @Test
    void resolveShouldFetchTheNewPolicyWhenTheIdChanged() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        dns.withId(D.asString(), "id2");
        https.serving(D.asString(), TESTING);
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);

        PolicyDecision decision = resolver.resolve(D);

        assertThat(decision.policyId()).contains("id2");
        assertThat(decision.mode()).isEqualTo(Mode.TESTING);
        assertThat(https.fetches(D.asString())).isEqualTo(2);
    }

    @Test
    void rule_R_newIdWithFailingFetchShouldKeepTheOldPolicyAndRecordTheFailure() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        ReportPolicy applied = resolver.resolve(D).reportPolicy();
        dns.withId(D.asString(), "id2");
        https.failing(D.asString(), ResultType.STS_WEBPKI_INVALID, "certificate of mta-sts.example.test expired");
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);

        PolicyDecision decision = resolver.resolve(D);

        assertThat(decision.policyId()).contains("id1");
        assertThat(decision.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(recorder.results()).containsExactly(SessionResult.failure(applied,
            FailureDetails.builder(ResultType.STS_WEBPKI_INVALID)
                .failureReasonCode("certificate of mta-sts.example.test expired").build()));
        assertThat(store.row(D).get().consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void rule_F_fetchShouldBackOffFiveMinutesPerIdEvenOnRecheck() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        dns.withId(D.asString(), "id2");
        https.failing(D.asString(), ResultType.STS_POLICY_FETCH_ERROR, "HTTP 503");
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);
        resolver.resolve(D);
        assertThat(https.fetches(D.asString())).isEqualTo(2);

        https.serving(D.asString(), TESTING);
        clock.advance(FetchBackoff.FETCH_BACKOFF.minusSeconds(1));
        assertThat(resolver.recheck(D).policyId()).contains("id1");
        assertThat(https.fetches(D.asString())).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(resolver.recheck(D).policyId()).contains("id2");
        assertThat(https.fetches(D.asString())).isEqualTo(3);
    }

    @Test
    void rule_F_backOffShouldNotDelayANewerId() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        dns.withId(D.asString(), "id2");
        https.failing(D.asString(), ResultType.STS_POLICY_INVALID, "policy line 2 'mode: enforcing' must be ...");
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);
        resolver.resolve(D);

        dns.withId(D.asString(), "id3");
        https.serving(D.asString(), TESTING);
        clock.advance(Duration.ofMinutes(1));

        assertThat(resolver.recheck(D).policyId()).contains("id3");
    }

    static Stream<Arguments> recordLossRows() {
        return Stream.of(
            Arguments.of("T 3.1 record absent keeps the cached policy until it expires", TxtRecordOutcome.absent(),
                PolicyDecision.Kind.NO_POLICY),
            Arguments.of("T 3.1 invalid record keeps the cached policy until it expires",
                TxtRecordOutcome.invalid("bad id"), PolicyDecision.Kind.NO_POLICY),
            Arguments.of("T 3.1 multiple records keep the cached policy until it expires", TxtRecordOutcome.multiple("two v=STSv1 records"),
                PolicyDecision.Kind.NO_POLICY),
            Arguments.of("T 3.1 DNS failure keeps the cached policy, then is a temporary failure",
                TxtRecordOutcome.dnsError("SERVFAIL"), PolicyDecision.Kind.TEMPORARY_FAILURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordLossRows")
    void cachedPolicyShouldOutliveTheRecordUntilItExpires(String rule, TxtRecordOutcome<StsRecord> outcome,
                                                         PolicyDecision.Kind afterExpiry) {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        dns.with(D.asString(), outcome);

        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);
        assertThat(resolver.resolve(D).policyId()).contains("id1");
        clock.set(T0.plus(Duration.ofSeconds(86_400)).minusSeconds(1));
        assertThat(resolver.resolve(D).policyId()).contains("id1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(resolver.resolve(D).kind()).isEqualTo(afterExpiry);
        assertThat(https.fetches(D.asString())).isEqualTo(1);
    }

    static Stream<Arguments> nothingCachedRows() {
        return Stream.of(
            Arguments.of("T 3.1 no record means no policy", TxtRecordOutcome.absent(), PolicyDecision.Kind.NO_POLICY),
            Arguments.of("T 3.1 invalid record means no policy", TxtRecordOutcome.invalid("id too long"),
                PolicyDecision.Kind.NO_POLICY),
            Arguments.of("T 3.1 multiple records mean no policy", TxtRecordOutcome.multiple("two v=STSv1 records"),
                PolicyDecision.Kind.NO_POLICY),
            Arguments.of("T 3.1 DNS failure is not 'no policy'", TxtRecordOutcome.dnsError("timeout"),
                PolicyDecision.Kind.TEMPORARY_FAILURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nothingCachedRows")
    void resolveWithNothingCachedShouldAnswerFromTheRecordOutcome(String rule, TxtRecordOutcome<StsRecord> outcome,
                                                                 PolicyDecision.Kind expected) {
        dns.with(D.asString(), outcome);

        assertThat(start().resolve(D).kind()).isEqualTo(expected);
        assertThat(https.fetches(D.asString())).isZero();
    }

    static Stream<Arguments> fetchFailureRows() {
        return Stream.of(
            Arguments.of("F 3.3 fetch error with nothing cached: deliver as before", ResultType.STS_POLICY_FETCH_ERROR),
            Arguments.of("F 3.3 untrusted certificate with nothing cached: deliver as before",
                ResultType.STS_WEBPKI_INVALID),
            Arguments.of("F 3.3 invalid policy with nothing cached: deliver as before", ResultType.STS_POLICY_INVALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fetchFailureRows")
    void fetchFailureWithNothingCachedShouldMeanNoPolicyAndBeRecorded(String rule, ResultType type) {
        dns.withId(D.asString(), "id1");
        https.failing(D.asString(), type, "what went wrong at mta-sts.example.test");

        assertThat(start().resolve(D)).isEqualTo(PolicyDecision.noPolicy(D));
        assertThat(recorder.results()).containsExactly(SessionResult.failure(
            ReportPolicy.of(PolicyType.STS, D.asString(), List.of(), List.of()),
            FailureDetails.builder(type).failureReasonCode("what went wrong at mta-sts.example.test").build()));
    }

    @Test
    void rule_R_expiredPolicyShouldBeFetchedAgainUnderTheSameId() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        clock.advance(Duration.ofSeconds(86_400));

        assertThat(resolver.resolve(D).policyId()).contains("id1");
        assertThat(https.fetches(D.asString())).isEqualTo(2);
        assertThat(store.row(D).get().expiresAt()).isEqualTo(clock.instant().plusSeconds(86_400));
    }

    @Test
    void rule_F_expiredPolicyWhoseFetchFailsShouldNoLongerApply() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        https.failing(D.asString(), ResultType.STS_POLICY_FETCH_ERROR, "connection refused");
        clock.advance(Duration.ofSeconds(86_400));

        assertThat(resolver.resolve(D)).isEqualTo(PolicyDecision.noPolicy(D));
    }

    @Test
    void modeNoneShouldBeCachedAndMeanNoPolicy() {
        dns.withId(D.asString(), "id1");
        https.serving(D.asString(), FakeFetcher.policyText("none", 86_400));
        DefaultPolicyResolver resolver = start();

        PolicyDecision decision = resolver.resolve(D);
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL.minusSeconds(1));

        assertThat(decision.kind()).isEqualTo(PolicyDecision.Kind.NO_POLICY);
        assertThat(decision.policy().get().mode()).isEqualTo(Mode.NONE);
        assertThat(resolver.resolve(D)).isSameAs(decision);
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
    }

    @Test
    void rule_A_recheckShouldIgnoreTheCheckIntervalAndFetchANewId() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        dns.withId(D.asString(), "id2");
        https.serving(D.asString(), TESTING);
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL.minusSeconds(1));

        assertThat(resolver.resolve(D).policyId()).contains("id1");
        assertThat(resolver.recheck(D).policyId()).contains("id2");
    }

    @Test
    void rule_R_cacheShouldSurviveARestart() {
        withCachedEnforcePolicy();
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL.dividedBy(2));

        DefaultPolicyResolver restarted = start();

        assertThat(restarted.resolve(D).policyId()).contains("id1");
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);
        assertThat(restarted.resolve(D).policyId()).contains("id1");
        assertThat(dns.lookups(D.asString())).isEqualTo(2);
        assertThat(https.fetches(D.asString())).isEqualTo(1);
    }

    @Test
    void noPolicyShouldBeRememberedUntilTheNextCheck() {
        DefaultPolicyResolver resolver = start();
        resolver.resolve(D);
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL.minusSeconds(1));
        resolver.resolve(D);
        assertThat(dns.lookups(D.asString())).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        resolver.resolve(D);
        assertThat(dns.lookups(D.asString())).isEqualTo(2);
    }

    @Test
    void maintainShouldEvictExpiredPoliciesUnusedForTheEvictionPeriodOnly() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();
        dns.withId("kept.test", "k1");
        https.serving("kept.test", FakeFetcher.policyText("enforce", 31_557_600, "mx.kept.test"));
        resolver.resolve(name("kept.test"));
        clock.advance(ResolverSettings.DEFAULT_EVICT_UNUSED_AFTER);
        assertThat(resolver.maintain()).isZero();

        clock.advance(Duration.ofSeconds(1));

        assertThat(resolver.maintain()).isEqualTo(1);
        assertThat(resolver.cached(D)).isEmpty();
        assertThat(store.row(D)).isEmpty();
        assertThat(resolver.cached(name("kept.test"))).isPresent();
    }

    @Test
    void forgetShouldRemoveThePolicyFromMemoryAndStore() {
        DefaultPolicyResolver resolver = withCachedEnforcePolicy();

        assertThat(resolver.forget(D)).isTrue();

        assertThat(resolver.cached(D)).isEmpty();
        assertThat(store.row(D)).isEmpty();
        resolver.resolve(D);
        assertThat(https.fetches(D.asString())).isEqualTo(2);
    }
}
