package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.SmtpSessionRecord;

/**
 * DANE for SMTP (RFC 7672) in a real James 3.8.1 with {@code MtaStsRemoteDelivery} and {@code mtasts.dane=true}: the
 * DNSSEC-validated lookups go to a signed loopback zone whose key is James's only trust anchor ({@link
 * DaneTestNetwork}). One James for the class, one recipient domain per scenario, all mails submitted at once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DaneEndToEndTest {
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration SESSION_END = Duration.ofSeconds(15);
    private static final List<String> TLS_12_OR_HIGHER = List.of("TLSv1.2", "TLSv1.3");

    private static DaneTestNetwork net;
    private static JamesServerProcess james;

    @BeforeAll
    static void startServers() throws Exception {
        EndToEnd.avoidUtcMidnight(Duration.ofMinutes(4));
        Path runs = EndToEnd.runDirectory("dane").getParent();
        Files.createDirectories(runs);
        net = DaneTestNetwork.start(runs);
        james = net.configure(JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(EndToEnd.runDirectory("dane")))
            // Short retries: a deferred mail is tried again within seconds, and stays queued for a minute and more.
            .mailetParameter("delayTime", "1000, 2000")
            .mailetParameter("maxRetries", "40")
            .start();
        for (String domain : DaneTestNetwork.RECIPIENT_DOMAINS) {
            EndToEnd.submit(james, DaneTestNetwork.SENDER, "bob@" + domain, "to " + domain, "Hello " + domain + ".");
        }
    }

    @AfterAll
    static void stopServers() {
        if (james != null) {
            james.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void daneShouldDeliverOnlyToTheMxWhoseCertificateMatchesItsTlsaRecord() {
        ReceivedMessage received = net.twoMxMatch.awaitMessages(1, DELIVERY).get(0);

        assertThat(received.envelopeTo()).containsExactly("bob@" + DaneTestNetwork.TWO_MX);
        assertThat(received.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn(TLS_12_OR_HIGHER));
        // RFC 7672 8.1: SNI names the MX host.
        assertThat(net.twoMxMatch.awaitSessions(1, SESSION_END)).filteredOn(session -> session.messages() > 0)
            .extracting(session -> session.serverNameIndication().orElse("none"))
            .containsExactly(DaneTestNetwork.TWO_MX_MATCH);
        // MX 10 was tried first (STARTTLS, then its certificate matched no TLSA record) and got nothing.
        List<SmtpSessionRecord> refused = net.twoMxMismatch.awaitSessions(1, SESSION_END);
        assertThat(refused).allSatisfy(session -> {
            assertThat(session.startTlsRequested()).isTrue();
            assertThat(session.tlsMailCommands()).isZero();
            assertThat(session.messages()).isZero();
        });
        assertThat(net.twoMxMismatch.messages()).isEmpty();
        assertThat(net.twoMxMismatch.plaintextMailCommands()).isZero();
    }

    @Test
    void aBogusTlsaSignatureShouldDeferTheMailWithoutConnectingOrBouncing() {
        // Several attempts (retries are 1-2 s apart), each refusing the MX before connecting; the others are out.
        JamesObservations.awaitLogOccurrences(james, "DANE refused MX " + DaneTestNetwork.BOGUS_MX, 2, DELIVERY);
        net.twoMxMatch.awaitMessages(1, DELIVERY);
        net.precedenceMx.awaitMessages(1, DELIVERY);

        // RFC 7672 2.1.1: a bogus TLSA answer makes the host unusable (temporary): still queued, never bounced.
        assertThat(JamesObservations.queueSize(james, "outgoing")).isEqualTo(1);
        assertThat(net.bogusMx.sessionCount()).isZero();
        assertThat(net.bogusMx.messages()).isEmpty();
        assertThat(net.senderMx.messages()).isEmpty();
    }

    @Test
    void daneShouldTakePrecedenceOverAnMtaStsPolicyThatNamesAnotherMx() {
        ReceivedMessage received = net.precedenceMx.awaitMessages(1, DELIVERY).get(0);

        // RFC 8461 2: the policy's mx patterns name only mx-other; DANE authenticated mx.precedence.test.
        assertThat(received.envelopeTo()).containsExactly("bob@" + DaneTestNetwork.PRECEDENCE);
        assertThat(received.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn(TLS_12_OR_HIGHER));
        assertThat(net.precedenceMx.awaitSessionsWithMessages(1, DELIVERY))
            .extracting(session -> session.serverNameIndication().orElse("none"))
            .containsExactly(DaneTestNetwork.PRECEDENCE_MX);
        assertThat(net.senderMx.messages()).isEmpty();
        assertThat(james.log()).contains("DANE domain=" + DaneTestNetwork.PRECEDENCE + " dane=authenticate");
    }

    @Test
    void theTlsRptReportShouldCarryATlsaPolicyPerMxWithTheMatchAndTheMismatch() throws Exception {
        net.twoMxMatch.awaitMessages(1, DELIVERY);
        JamesObservations.awaitWebAdminAnswerContaining(james, "/tlsrpt/days/today",
            "{\"policyDomain\":\"" + DaneTestNetwork.TWO_MX + "\",\"successfulSessions\":1", DELIVERY);

        HttpResponse<String> response = james.webAdmin("GET", "/tlsrpt/days/today/reports/" + DaneTestNetwork.TWO_MX,
            null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String match = policyBlock(response.body(), DaneTestNetwork.TWO_MX_MATCH);
        assertThat(match).contains("\"policy-type\":\"tlsa\"",
            "\"policy-string\":[\"" + net.tlsaOf(DaneTestNetwork.TWO_MX_MATCH) + "\"]",
            "\"policy-domain\":\"" + DaneTestNetwork.TWO_MX + "\"");
        assertThat(ReportArrivals.number(match, "total-successful-session-count")).isEqualTo(1);
        assertThat(ReportArrivals.number(match, "total-failure-session-count")).isZero();
        String mismatch = policyBlock(response.body(), DaneTestNetwork.TWO_MX_MISMATCH);
        assertThat(mismatch).contains("\"policy-type\":\"tlsa\"",
            "\"policy-string\":[\"" + net.tlsaOf(DaneTestNetwork.TWO_MX_MISMATCH) + "\"]");
        assertThat(ReportArrivals.number(mismatch, "total-successful-session-count")).isZero();
        assertThat(ReportArrivals.text(mismatch, "result-type")).isEqualTo("tlsa-invalid");
        assertThat(ReportArrivals.text(mismatch, "receiving-mx-hostname")).isEqualTo(DaneTestNetwork.TWO_MX_MISMATCH);
        assertThat(ReportArrivals.text(mismatch, "receiving-ip")).isEqualTo("127.0.114.11");
    }

    @Test
    void theWebAdminDaneViewShouldShowWhatTheDeliveryLookedUp() {
        HttpResponse<String> twoMx = james.webAdmin("GET", "/mta-sts/dane/" + DaneTestNetwork.TWO_MX, null);
        HttpResponse<String> bogus = james.webAdmin("GET", "/mta-sts/dane/" + DaneTestNetwork.BOGUS, null);

        assertThat(twoMx.statusCode()).as(twoMx.body()).isEqualTo(200);
        assertThat(twoMx.body()).startsWith("{\"domain\":\"" + DaneTestNetwork.TWO_MX + "\",\"status\":\"secure\"")
            .contains("{\"host\":\"" + DaneTestNetwork.TWO_MX_MISMATCH + "\",\"state\":\"authenticate\",\"tlsa\":[\""
                + net.tlsaOf(DaneTestNetwork.TWO_MX_MISMATCH) + "\"]")
            .contains("{\"host\":\"" + DaneTestNetwork.TWO_MX_MATCH + "\",\"state\":\"authenticate\",\"tlsa\":[\""
                + net.tlsaOf(DaneTestNetwork.TWO_MX_MATCH) + "\"]");
        assertThat(bogus.statusCode()).as(bogus.body()).isEqualTo(200);
        assertThat(bogus.body()).contains("{\"host\":\"" + DaneTestNetwork.BOGUS_MX
            + "\",\"state\":\"unusable\",\"failure\":\"dnssec-invalid\"");
    }

    /** The {@code policies[]} element of an RFC 8460 report whose {@code mx-host} is exactly {@code mxHost}. */
    private static String policyBlock(String report, String mxHost) {
        for (String block : report.split("\\{\"policy\":\\{")) {
            if (block.contains("\"mx-host\":[\"" + mxHost + "\"]")) {
                return block;
            }
        }
        throw new AssertionError("no policy block with mx-host " + mxHost + " in " + report);
    }
}
