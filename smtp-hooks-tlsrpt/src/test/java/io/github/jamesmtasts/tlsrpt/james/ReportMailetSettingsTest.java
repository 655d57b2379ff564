package io.github.jamesmtasts.tlsrpt.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.testing.TestDkim;

class ReportMailetSettingsTest {

    /** James's working directory, with the DKIM key where the mailet looks by default. */
    @TempDir
    static Path workingDirectory;

    @BeforeAll
    static void dkimKey() throws IOException {
        TestDkim.writeKey(workingDirectory.resolve("conf/tlsrpt-dkim.pem"));
    }

    private static ReportMailetSettings parse(Map<String, String> parameters) {
        return ReportMailetSettings.parse(name -> Optional.ofNullable(parameters.get(name)), workingDirectory);
    }

    private static Map<String, String> minimal() {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("organizationName", "Example Corp");
        parameters.put("contactInfo", "tlsrpt@Example.COM");
        return parameters;
    }

    @Test
    void defaultsShouldFollowFromTheContactAddress() {
        ReportMailetSettings settings = parse(minimal());

        assertThat(settings.identity.submitterDomain()).isEqualTo("example.com");
        assertThat(settings.reportSender.getAddress()).isEqualTo("tlsrpt@Example.COM");
        assertThat(settings.sendWindow).isEqualTo(Duration.ofHours(4));
        assertThat(settings.tickInterval).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.httpsTimeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.trust).hasToString("JVM default trust store");
        assertThat(settings.seed).isEmpty();
    }

    @Test
    void sendThreadsShouldDefaultToFourAndAcceptOneToSixtyFour() {
        Map<String, String> parameters = minimal();
        assertThat(parse(parameters).sendThreads).isEqualTo(4);

        parameters.put("sendThreads", "64");
        assertThat(parse(parameters).sendThreads).isEqualTo(64);
        parameters.put("sendThreads", "1");
        assertThat(parse(parameters).sendThreads).isEqualTo(1);
    }

    @Test
    void sendThreadsOutsideItsBoundsShouldBeRefusedNamingTheParameter() {
        for (String bad : new String[] {"0", "65", "-1", "many"}) {
            Map<String, String> parameters = minimal();
            parameters.put("sendThreads", bad);

            assertThatThrownBy(() -> parse(parameters)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TlsRptReportMailet: 'sendThreads' must be a whole number from 1 to 64 (report destinations"
                    + " sent at once), got " + bad);
        }
    }

    @Test
    void durationsShouldAcceptShortAndIsoForms() {
        Map<String, String> parameters = minimal();
        parameters.put("sendWindow", "90m");
        parameters.put("httpsTimeout", "PT15S");

        ReportMailetSettings settings = parse(parameters);

        assertThat(settings.sendWindow).isEqualTo(Duration.ofMinutes(90));
        assertThat(settings.httpsTimeout).isEqualTo(Duration.ofSeconds(15));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https.allowNetworks", "httpsAllowedNetworks"})
    void allowedNetworksShouldOpenTheGuardForThoseBlocksOnly(String name) throws Exception {
        Map<String, String> parameters = minimal();
        parameters.put(name, "10.0.0.0/8, fd00::/8");

        ReportMailetSettings settings = parse(parameters);

        assertThat(settings.addressGuard.refusal(InetAddress.getByName("10.1.1.1")).isEmpty()).isTrue();
        assertThat(settings.addressGuard.refusal(InetAddress.getByName("192.168.1.1")).isEmpty()).isFalse();
    }

    @Test
    void contactInfoThatIsAUrlShouldNeedAnExplicitSubmitterDomain() {
        Map<String, String> parameters = minimal();
        parameters.put("contactInfo", "https://example.com/tlsrpt");

        assertThatThrownBy(() -> parse(parameters)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("submitterDomain");
        parameters.put("submitterDomain", "example.com");
        parameters.put("reportSender", "tlsrpt@example.com");
        assertThat(parse(parameters).identity.submitterDomain()).isEqualTo("example.com");
    }

    @Test
    void badValuesShouldBeRefusedNamingTheParameter() {
        Map<String, String> badNetwork = minimal();
        badNetwork.put("httpsAllowedNetworks", "intranet");
        Map<String, String> zeroWindow = minimal();
        zeroWindow.put("sendWindow", "0s");
        Map<String, String> missingTrustStore = minimal();
        missingTrustStore.put("httpsTrustStore", "/nonexistent/truststore.p12");

        assertThatThrownBy(() -> parse(badNetwork)).hasMessageContaining("httpsAllowedNetworks");
        assertThatThrownBy(() -> parse(zeroWindow)).hasMessageContaining("sendWindow");
        assertThatThrownBy(() -> parse(missingTrustStore)).hasMessageContaining("httpsTrustStore");
        missingTrustStore.remove("httpsTrustStore");
        missingTrustStore.put("https.trustStore", "/nonexistent/truststore.p12");
        assertThatThrownBy(() -> parse(missingTrustStore)).hasMessageContaining("'https.trustStore'")
            .hasMessageContaining("/nonexistent/truststore.p12");
    }

    @Test
    void reportMailsShouldBeSignedByDefaultWithTheKeyUnderConf() {
        ReportMailetSettings settings = parse(minimal());

        assertThat(settings.dkim).get().satisfies(dkim -> {
            assertThat(dkim.domain()).isEqualTo("example.com");
            assertThat(dkim.selector()).isEqualTo("tlsrpt");
        });
    }

    @Test
    void missingKeyShouldStopStartupNamingTheFileAndTheCommandThatCreatesIt() {
        Map<String, String> parameters = minimal();
        parameters.put("dkimSelector", "reports2026");
        parameters.put("dkimPrivateKey", "conf/missing.pem");

        assertThatThrownBy(() -> parse(parameters)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(workingDirectory.resolve("conf/missing.pem").toString())
            .hasMessageContaining("mta-sts dkim-keygen --domain example.com --selector reports2026 --out")
            .hasMessageContaining("dkimSign");
    }

    @Test
    void unsignedReportsShouldNeedTheExplicitOptOut() {
        Map<String, String> parameters = minimal();
        parameters.put("dkimPrivateKey", "conf/missing.pem");
        parameters.put("dkimSign", "false");

        assertThat(parse(parameters).dkim).isEmpty();
        parameters.put("dkimSign", "no");
        assertThatThrownBy(() -> parse(parameters)).hasMessageContaining("'dkimSign' must be true or false");
    }

    @Test
    void absoluteKeyPathShouldBeUsedAsIs() throws IOException {
        Path elsewhere = TestDkim.writeKey(workingDirectory.resolve("elsewhere/key.pem").toAbsolutePath());
        Map<String, String> parameters = minimal();
        parameters.put("dkimPrivateKey", elsewhere.toString());
        parameters.put("dkimSelector", "s1");

        assertThat(parse(parameters).dkim).get().satisfies(dkim -> assertThat(dkim.selector()).isEqualTo("s1"));
    }
}
