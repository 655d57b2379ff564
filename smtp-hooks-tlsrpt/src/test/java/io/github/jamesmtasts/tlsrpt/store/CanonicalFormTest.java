package io.github.jamesmtasts.tlsrpt.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** Different RFC 8460 values must never share a stored key, or their counts would be merged into one report entry. */
class CanonicalFormTest {

    static Stream<Arguments> differentPolicies() {
        return Stream.of(
            Arguments.of("J 4.4 policy-string elements are not joined text",
                ReportPolicy.sts("a.test", List.of("a", "b"), List.of()), ReportPolicy.sts("a.test", List.of("a\\nb"), List.of())),
            Arguments.of("J 4.4 policy-string vs mx-host", ReportPolicy.sts("a.test", List.of("mx1"), List.of()),
                ReportPolicy.sts("a.test", List.of(), List.of("mx1"))),
            Arguments.of("J 4.4 empty list vs one empty string", ReportPolicy.sts("a.test", List.of(), List.of()),
                ReportPolicy.sts("a.test", List.of(""), List.of())),
            Arguments.of("J 4.4 policy-type", ReportPolicy.of(PolicyType.STS, "a.test", List.of(), List.of()),
                ReportPolicy.noPolicyFound("a.test")),
            Arguments.of("J 4.4 policy-domain", ReportPolicy.noPolicyFound("a.test"), ReportPolicy.noPolicyFound("b.test")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentPolicies")
    void differentPoliciesShouldHaveDifferentHashes(String rule, ReportPolicy one, ReportPolicy other) {
        assertThat(CanonicalForm.policyHash(one)).isNotEqualTo(CanonicalForm.policyHash(other)).hasSize(64);
        assertThat(CanonicalForm.policyHash(one)).isEqualTo(CanonicalForm.policyHash(
            ReportPolicy.of(one.policyType(), one.policyDomain(), one.policyStrings(), one.mxHosts())));
    }

    static Stream<Arguments> differentFailures() {
        FailureDetails base = FailureDetails.builder(ResultType.VALIDATION_FAILURE).receivingIp("192.0.2.1").build();
        return Stream.of(
            Arguments.of("J 4.3 result-type", base,
                FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED).receivingIp("192.0.2.1").build()),
            Arguments.of("J 4.4 same text in another field", base,
                FailureDetails.builder(ResultType.VALIDATION_FAILURE).sendingMtaIp("192.0.2.1").build()),
            Arguments.of("J 4.4 failure-reason-code present vs absent", base, base.toBuilder().failureReasonCode("x").build()),
            Arguments.of("J 4.4 receiving-mx-helo present vs absent", base, base.toBuilder().receivingMxHelo("mx").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentFailures")
    void differentFailureDetailsShouldHaveDifferentHashes(String rule, FailureDetails one, FailureDetails other) {
        assertThat(CanonicalForm.failureHash(one)).isNotEqualTo(CanonicalForm.failureHash(other))
            .isNotEqualTo(CanonicalForm.SUCCESS);
    }
}
