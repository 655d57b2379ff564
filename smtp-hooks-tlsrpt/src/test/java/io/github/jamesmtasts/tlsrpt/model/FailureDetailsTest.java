package io.github.jamesmtasts.tlsrpt.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
            .receivingMxHostname("m".repeat(10_000))
            .failureReasonCode("r".repeat(10_000))
            .additionalInformation("https://x.test/" + "a".repeat(10_000))
            .receivingIp("1".repeat(1_000))
            .build();

        assertThat(details.receivingMxHelo().get()).hasSize(FailureDetails.MAX_HOST_LENGTH).endsWith("...");
        assertThat(details.receivingMxHostname().get()).hasSize(FailureDetails.MAX_HOST_LENGTH);
        assertThat(details.failureReasonCode().get()).hasSize(FailureDetails.MAX_FAILURE_REASON_LENGTH);
        assertThat(details.additionalInformation().get()).hasSize(FailureDetails.MAX_ADDITIONAL_INFORMATION_LENGTH);
        assertThat(details.receivingIp().get()).hasSize(FailureDetails.MAX_IP_LENGTH);
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
