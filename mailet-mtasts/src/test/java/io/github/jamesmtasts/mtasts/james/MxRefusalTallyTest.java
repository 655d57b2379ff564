package io.github.jamesmtasts.mtasts.james;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.deliver.MxCheck;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** Which refusals of an attempt's MX hosts a stale policy can explain (docs/enforcement.md, "Stale policies"). */
class MxRefusalTallyTest {

    private static final PolicyDecision ENFORCE = PolicyDecision.policy(name("moved.test"), "id1",
        StsPolicy.of(Mode.ENFORCE, Duration.ofDays(7), List.of(MxPattern.of("mx1.moved.test")),
            List.of("version: STSv1", "mode: enforce", "mx: mx1.moved.test", "max_age: 604800")));

    private final MxRefusalTally tally = new MxRefusalTally();

    private static Mail mail() throws Exception {
        return FakeMail.builder().name("mail1").build();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
            Arguments.of("MX matches no mx pattern", Classification.of(ResultType.VALIDATION_FAILURE, MxCheck.MX_MISMATCH), true),
            Arguments.of("certificate-host-mismatch", Classification.of(ResultType.CERTIFICATE_HOST_MISMATCH), true),
            Arguments.of("certificate-expired", Classification.of(ResultType.CERTIFICATE_EXPIRED), true),
            Arguments.of("certificate-not-trusted", Classification.of(ResultType.CERTIFICATE_NOT_TRUSTED, "unknown-issuer"), true),
            Arguments.of("no STARTTLS", Classification.of(ResultType.STARTTLS_NOT_SUPPORTED, "starttls-refused: 454"), false),
            Arguments.of("TLS protocol version", Classification.of(ResultType.VALIDATION_FAILURE, "tls-protocol-version"), false),
            Arguments.of("TLS handshake timeout", Classification.of(ResultType.VALIDATION_FAILURE, "tls-handshake-timeout"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyHostRefusedForAReasonAStalePolicyExplainsShouldCount(String name, Classification failure, boolean counts)
        throws Exception {
        Mail mail = mail();
        tally.begin(mail);
        tally.tried(mail);
        tally.refused(mail, ENFORCE, failure);
        tally.tried(mail);
        tally.refused(mail, ENFORCE, failure);

        assertThat(tally.end(mail).isPresent()).isEqualTo(counts);
    }

    @Test
    void oneHostNotRefusedShouldMakeTheAttemptNotCount() throws Exception {
        Mail mail = mail();
        tally.begin(mail);
        tally.tried(mail);
        tally.refused(mail, ENFORCE, Classification.of(ResultType.VALIDATION_FAILURE, MxCheck.MX_MISMATCH));
        // The second host timed out: no refusal.
        tally.tried(mail);

        assertThat(tally.end(mail)).isEmpty();
    }

    @Test
    void anAttemptWithoutHostsOrOutsideBeginEndShouldNotCount() throws Exception {
        Mail mail = mail();
        tally.begin(mail);
        assertThat(tally.end(mail)).isEmpty();

        tally.tried(mail);
        tally.refused(mail, ENFORCE, Classification.of(ResultType.CERTIFICATE_EXPIRED));
        assertThat(tally.end(mail)).isEmpty();
    }

    @Test
    void refusalsWithoutAPolicyShouldNotCount() throws Exception {
        Mail mail = mail();
        tally.begin(mail);
        tally.tried(mail);
        tally.refused(mail, PolicyDecision.temporaryFailure(name("moved.test"), "SERVFAIL"),
            Classification.of(ResultType.CERTIFICATE_EXPIRED));

        assertThat(tally.end(mail)).isEmpty();
    }

    @Test
    void everyHostRefusedShouldAnswerTheDecisionTheyWereRefusedUnder() throws Exception {
        Mail mail = mail();
        tally.begin(mail);
        tally.tried(mail);
        tally.refused(mail, ENFORCE, Classification.of(ResultType.VALIDATION_FAILURE, MxCheck.MX_MISMATCH));

        assertThat(tally.end(mail)).contains(ENFORCE);
    }
}
