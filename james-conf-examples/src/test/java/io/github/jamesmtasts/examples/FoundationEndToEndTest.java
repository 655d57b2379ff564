package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * A real James 3.8.1 with the drop-in (our jars + the example conf) delivers a mail to a domain without MTA-STS
 * policy: submitted over STARTTLS (conf/keystore), MX from the loopback DNS server, STARTTLS to the MX with a
 * certificate James trusts through its configured trust store. One James boot for the whole class.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class FoundationEndToEndTest {
    private static final String DNS_IP = "127.0.10.53";
    private static final String MX_IP = "127.0.10.25";
    private static final String JAMES_IP = "127.0.10.1";
    private static final String DOMAIN = "remote.test";
    private static final String MX_HOST = "mx.remote.test";
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static LoopbackDnsServer dns;
    private static TestSmtpServer mx;
    private static JamesServerProcess james;
    private static TestPki pki;

    @BeforeAll
    static void startServers() throws Exception {
        pki = TestPki.create("FoundationEndToEndTest CA");
        dns = EndToEnd.dnsOnPort53(DNS_IP).zone(DOMAIN).mx(DOMAIN, 10, MX_HOST).a(MX_HOST, MX_IP);
        mx = TestSmtpServer.builder().bindAddress(MX_IP).port(25).greetingName(MX_HOST).startTls(pki.issue(MX_HOST)).start();
        Path run = EndToEnd.runDirectory("foundation");
        Files.createDirectories(run.getParent());
        Path trustStore = pki.writePkcs12TrustStore(run.getParent().resolve("foundation-truststore.p12"), "changeit".toCharArray());
        Path keystore = pki.issue("james.test").writePkcs12(run.getParent().resolve("foundation-keystore.p12"), "secret".toCharArray());
        james = JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(run)
                .smtp(JAMES_IP, 0)
                .webAdmin(JAMES_IP, 0)
                .dnsServer(DNS_IP)
                .hostsEntry(MX_HOST, MX_IP)
                .trustStore(trustStore, "changeit")
                .inboundStartTls(keystore, "secret")
                .mailetParameter("delayTime", "1000, 2000, 5000")
                .start();
    }

    @AfterAll
    static void stopServers() {
        if (james != null) {
            james.close();
        }
        if (mx != null) {
            mx.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void mailShouldArriveAtTheMxOverTlsWhenRelayedByJamesWithTheExtension() throws Exception {
        EndToEnd.submitOverTls(james, pki.clientContext(), "alice@localhost", "bob@" + DOMAIN, "foundation", "Hello over TLS.");

        ReceivedMessage received = mx.awaitMessages(1, DELIVERY).get(0);
        assertThat(received.envelopeTo()).containsExactly("bob@" + DOMAIN);
        assertThat(received.dataAsString()).contains("Subject: foundation");
        assertThat(received.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn("TLSv1.2", "TLSv1.3"));
        assertThat(mx.plaintextMailCommands()).isZero();
        // RFC 8461 7 / design I: SNI names the MX host on the SMTP STARTTLS handshake.
        assertThat(mx.awaitSessions(1, DELIVERY)).filteredOn(session -> session.messages() > 0)
                .extracting(session -> session.serverNameIndication().orElse("none")).containsExactly(MX_HOST);
    }

    @Test
    void webAdminShouldServeOurPolicyRoutes() {
        assertThat(james.webAdmin("GET", "/mta-sts/policies", null).statusCode()).isEqualTo(200);
    }

    @Test
    void webAdminMetricsShouldIncludeOursWithTheExampleConfiguration() {
        // A policy check of a domain without _mta-sts record counts one "absent" lookup.
        assertThat(james.webAdmin("POST", "/mta-sts/policies/" + DOMAIN + "?action=refresh", null).statusCode())
            .isEqualTo(200);

        HttpResponse<String> metrics = james.webAdmin("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("mtasts_policy_lookups_absent");
    }

    @Test
    void logShouldShowOurDeliveryMailetInitialised() {
        james.awaitLog("MtaStsRemoteDelivery started", Duration.ofSeconds(30));

        assertThat(james.log()).contains("extensions-jars/mailet-mtasts-");
    }

    @Test
    void logShouldShowBothSchemasMigratedByFlywayFromTheExtensionClassLoader() {
        james.awaitLog("MtaStsRemoteDelivery started", Duration.ofSeconds(30));

        assertThat(james.log())
                .contains("tlsrpt schema in the embedded database")
                .contains("mtasts schema in the embedded database")
                .contains("now at version 2");
    }
}
