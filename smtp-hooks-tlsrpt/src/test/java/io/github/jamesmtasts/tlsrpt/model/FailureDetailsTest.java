package io.github.jamesmtasts.tlsrpt.model;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** H4: what peers sent is cleaned and bounded when failure details are built, before storage, logs and reports. */
class FailureDetailsTest {

    @Test
    void heloWithNulAndCrLfShouldBeStoredAsPrintableAscii() {
        FailureDetails details = FailureDetails.builder(ResultType.VALIDATION_FAILURE)
            .receivingMxHelo("mx\u0000.evil.test\r\nX-Injected: 1").build();

        assertThat(details.receivingMxHelo()).hasValue("mx?.evil.test??X-Injected: 1");
    }

    @Test
    void overlongFieldsShouldBeCutAtTheirBounds() {
        FailureDetails details = FailureDetails.builder(ResultType.VALIDATION_FAILURE)
            .receivingMxHelo("h".repeat(10_000))
            .failureReasonCode("r".repeat(10_000))
            .additionalInformation("https://x.test/" + "a".repeat(10_000))
            .receivingIp("1".repeat(1_000))
            .build();

        assertThat(details.receivingMxHelo().get()).hasSize(FailureDetails.MAX_HOST_LENGTH).endsWith("...");
        assertThat(details.failureReasonCode().get()).hasSize(FailureDetails.MAX_FAILURE_REASON_LENGTH);
        assertThat(details.additionalInformation().get()).hasSize(FailureDetails.MAX_ADDITIONAL_INFORMATION_LENGTH);
        assertThat(details.receivingIp().get()).hasSize(FailureDetails.MAX_IP_LENGTH);
    }

    static Stream<Arguments> mxHostnames() {
        return Stream.of(
            arguments("RFC 8460 4.4 upper case and root dot folded", "MX1.Example.COM.", Optional.of("mx1.example.com")),
            arguments("RFC 8460 4.4 U-labels reported as A-labels", "mx.B\u00fccher.example",
                Optional.of("mx.xn--bcher-kva.example")),
            arguments("RFC 8460 4.4 an address literal is no host name (receiving-ip carries it)", "[192.0.2.1]",
                Optional.empty()),
            arguments("RFC 8460 4.4 an IPv4 address is no host name", "192.0.2.1", Optional.empty()),
            arguments("H2 an over-long label is dropped, not cut", "m".repeat(64) + ".example.com", Optional.empty()),
            arguments("H2 an over-long name is dropped, not cut", "m".repeat(10_000), Optional.empty()),
            arguments("H4 CR LF never reach a report", "mx.example.com\r\nX-Injected: 1", Optional.empty()),
            arguments("T 3.1 a single label is no MX host name", "localhost", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mxHostnames")
    void receivingMxHostnameShouldBeADomainNameOrOmitted(String rule, String host, Optional<String> expected) {
        FailureDetails details = FailureDetails.builder(ResultType.CERTIFICATE_HOST_MISMATCH).receivingMxHostname(host)
            .build();

        assertThat(details.receivingMxHostname()).isEqualTo(expected);
    }

    @Test
    void cleanValuesShouldBeKeptAsTheyAre() {
        FailureDetails details = FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
            .receivingMxHostname("mx1.example.com.").receivingMxHelo("mx1.example.com").receivingIp("2001:db8::1").build();

        assertThat(details.receivingMxHostname()).hasValue("mx1.example.com");
        assertThat(details.receivingMxHelo()).hasValue("mx1.example.com");
        assertThat(details.receivingIp()).hasValue("2001:db8::1");
    }

    @Test
    void foldedDetailsShouldKeepOnlyWhatThePeerDidNotChoose() {
        FailureDetails details = FailureDetails.builder(ResultType.CERTIFICATE_NOT_TRUSTED)
            .sendingMtaIp("192.0.2.10").receivingMxHostname("mx1.example.com").receivingMxHelo("anything.evil.test")
            .receivingIp("198.51.100.7").additionalInformation("https://evil.test/x").failureReasonCode("550 whatever")
            .build();

        assertThat(details.withoutPeerText()).isEqualTo(FailureDetails.builder(ResultType.CERTIFICATE_NOT_TRUSTED)
            .sendingMtaIp("192.0.2.10").receivingMxHostname("mx1.example.com").receivingIp("198.51.100.7")
            .failureReasonCode(FailureDetails.DETAILS_LIMIT_REACHED).build());
        assertThat(details.resultTypeOnly()).isEqualTo(FailureDetails.builder(ResultType.CERTIFICATE_NOT_TRUSTED)
            .failureReasonCode(FailureDetails.DETAILS_LIMIT_REACHED).build());
    }
}
