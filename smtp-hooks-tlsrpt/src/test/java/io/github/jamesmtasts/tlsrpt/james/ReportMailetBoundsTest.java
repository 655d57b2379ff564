package io.github.jamesmtasts.tlsrpt.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.send.DispatchSettings;
import io.github.jamesmtasts.tlsrpt.send.HttpsReportSender;

/** Design H5 settings of the report mailet: lease longer than the send deadline, rua destinations per domain. */
class ReportMailetBoundsTest {

    private static ReportMailetSettings parse(Map<String, String> extra) {
        Map<String, String> parameters = new HashMap<>(Map.of("organizationName", "Sender Test Org",
            "contactInfo", "tlsrpt@sender.test",
            // These bounds do not depend on signing (TlsRptReportMailetDkimTest covers it).
            "dkimSign", "false"));
        parameters.putAll(extra);
        return ReportMailetSettings.parse(name -> Optional.ofNullable(parameters.get(name)));
    }

    @Test
    void defaultsShouldBeConsistent() {
        ReportMailetSettings settings = parse(Map.of());

        assertThat(settings.claimLease).isEqualTo(DispatchSettings.DEFAULT_LEASE);
        assertThat(settings.httpsTimeout).isEqualTo(HttpsReportSender.DEFAULT_TIMEOUT);
        assertThat(settings.claimLease)
            .isGreaterThanOrEqualTo(settings.httpsTimeout.multipliedBy(DispatchSettings.LEASE_TO_DEADLINE_FACTOR));
        assertThat(settings.maxDestinations).isEqualTo(5);
    }

    @Test
    void leaseShorterThanTheWorstCaseOfOneSendShouldBeRefusedNamingBothParameters() {
        assertThatThrownBy(() -> parse(Map.of("claimLease", "90s", "httpsTimeout", "60s")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("claimLease", "httpsTimeout", "PT2M");
    }

    @Test
    void leaseOfTwiceTheDeadlineShouldBeAccepted() {
        assertThat(parse(Map.of("claimLease", "2m", "httpsTimeout", "60s")).claimLease).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void maxDestinationsShouldBeConfigurable() {
        assertThat(parse(Map.of("maxDestinations", "2")).maxDestinations).isEqualTo(2);
    }

    @Test
    void maxDestinationsBelowOneShouldBeRefused() {
        assertThatThrownBy(() -> parse(Map.of("maxDestinations", "0")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDestinations");
    }
}
