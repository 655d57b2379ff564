package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

class VerdictTest {

    private static final TxtRecordOutcome<StsRecord> VALID = TxtRecordOutcome.valid(StsRecord.of("1"), Duration.ZERO);
    private static final MxReport GOOD_MATCHING = mx(Optional.of(true), true);
    private static final MxReport GOOD_NOT_MATCHING = mx(Optional.of(false), true);
    private static final MxReport FAILING_MATCHING = MxReport.of("mx.example.test", 10, Optional.of(true), Optional.empty(),
        Optional.of(Classification.of(ResultType.STARTTLS_NOT_SUPPORTED)), false, Optional.of("no STARTTLS"));
    private static final MxReport UNREACHABLE_MATCHING = mx(Optional.of(true), false);

    static Stream<Arguments> verdicts() {
        return Stream.of(
            row("A 5 no record: deliver as before", TxtRecordOutcome.absent(), Optional.empty(), List.of(), true),
            row("T 3.1 DNS error is not 'no policy'", TxtRecordOutcome.dnsError("SERVFAIL"), Optional.empty(),
                List.of(GOOD_MATCHING), false),
            row("T 3.1 invalid record is a publishing error", TxtRecordOutcome.invalid("bad id"), Optional.empty(),
                List.of(GOOD_MATCHING), false),
            row("T 3.1 multiple records are a publishing error", TxtRecordOutcome.multiple("two v=STSv1 records"), Optional.empty(),
                List.of(GOOD_MATCHING), false),
            row("F 3.3 policy fetch failure", VALID, Optional.of(FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR,
                "HTTP 404")), List.of(GOOD_MATCHING), false),
            row("F 3.3 webpki failure", VALID, Optional.of(FetchOutcome.failure(ResultType.STS_WEBPKI_INVALID,
                "untrusted")), List.of(GOOD_MATCHING), false),
            row("P 3.2 mode none: no checks", VALID, fetched(Mode.NONE), List.of(FAILING_MATCHING), true),
            row("A 5 testing delivers as usual", VALID, fetched(Mode.TESTING), List.of(FAILING_MATCHING), true),
            row("A 5 enforce with one matching MX passing TLS", VALID, fetched(Mode.ENFORCE),
                List.of(FAILING_MATCHING, GOOD_MATCHING), true),
            row("A 5 enforce: a good MX outside the policy does not count", VALID, fetched(Mode.ENFORCE),
                List.of(GOOD_NOT_MATCHING, FAILING_MATCHING), false),
            row("A 5 enforce: matching but unreachable MX", VALID, fetched(Mode.ENFORCE),
                List.of(UNREACHABLE_MATCHING), false),
            row("A 5 enforce without MX hosts", VALID, fetched(Mode.ENFORCE), List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void judgeShouldDecideDeliverability(String rule, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch,
                                         List<MxReport> mx, boolean deliverable) {
        Verdict verdict = Verdict.judge("example.test", record, fetch, mx);

        assertThat(verdict.deliverable()).isEqualTo(deliverable);
        assertThat(verdict.reason()).contains("example.test");
    }

    private static Optional<FetchOutcome> fetched(Mode mode) {
        StsPolicy policy = StsPolicy.of(mode, Duration.ofDays(1), List.of(MxPattern.of("*.example.test")),
            List.of("version: STSv1", "mode: " + mode.token(), "mx: *.example.test", "max_age: 86400"));
        return Optional.of(FetchOutcome.success(policy, String.join("\n", policy.lines())));
    }

    private static MxReport mx(Optional<Boolean> matches, boolean success) {
        return MxReport.of("mx.example.test", 10, matches, Optional.empty(), Optional.empty(), success, Optional.empty());
    }

    private static Arguments row(String rule, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch, List<MxReport> mx,
                                 boolean deliverable) {
        return Arguments.of(rule, record, fetch, mx, deliverable);
    }
}
