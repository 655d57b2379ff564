package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.testing.SmtpSessionRecord;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;

class SmtpTlsProbeTest {

    private static final String MX = "mx.probe.test";
    private static final String ADDRESS = "127.0.0.61";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestPki pki;
    private static TrustAnchors trust;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("probe test CA");
        trust = TrustAnchors.of(pki.trustStore());
    }

    @Test
    void probeShouldReportTlsVersionAndSendNoMailWhenStartTlsAndCertificateAreGood() throws Exception {
        try (TestSmtpServer server = server().startTls(pki.issue(MX)).start()) {
            ProbeResult result = probe(server);

            assertThat(result.kind()).isEqualTo(ProbeResult.Kind.TLS_OK);
            assertThat(result.startTlsOffered()).contains(true);
            assertThat(result.tlsVersion()).contains("TLSv1.3");
            assertThat(result.failure()).isEmpty();
            SmtpSessionRecord session = server.awaitSessions(1, WAIT).get(0);
            assertThat(session.startTlsRequested()).isTrue();
            assertThat(session.serverNameIndication()).contains(MX);
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void probeShouldNoteTls12WhenServerSpeaksOnlyTls12() throws Exception {
        try (TestSmtpServer server = server().startTls(pki.issue(MX)).startTlsProtocols("TLSv1.2").start()) {
            assertThat(probe(server).tlsVersion()).contains("TLSv1.2");
        }
    }

    @Test
    void probeShouldReportStartTlsNotSupportedWhenServerDoesNotOfferIt() throws Exception {
        try (TestSmtpServer server = server().start()) {
            ProbeResult result = probe(server);

            assertThat(result.kind()).isEqualTo(ProbeResult.Kind.NO_STARTTLS);
            assertThat(result.startTlsOffered()).contains(false);
            assertThat(result.failure().map(Classification::resultType)).contains(ResultType.STARTTLS_NOT_SUPPORTED);
        }
    }

    @Test
    void probeShouldReportHostMismatchWhenCertificateNamesAnotherHost() throws Exception {
        try (TestSmtpServer server = server().startTls(pki.issue("other.probe.test")).start()) {
            ProbeResult result = probe(server);

            assertThat(result.kind()).isEqualTo(ProbeResult.Kind.TLS_FAILED);
            assertThat(result.tlsVersion()).isEmpty();
            assertThat(result.failure().map(Classification::resultType)).contains(ResultType.CERTIFICATE_HOST_MISMATCH);
        }
    }

    @Test
    void probeShouldReportNotTrustedWhenCertificateComesFromUnknownCa() throws Exception {
        TestPki stranger = TestPki.create("unknown CA");
        try (TestSmtpServer server = server().startTls(stranger.issue(MX)).start()) {
            assertThat(probe(server).failure().map(Classification::resultType))
                .contains(ResultType.CERTIFICATE_NOT_TRUSTED);
        }
    }

    @Test
    void probeShouldReportExpiredWhenCertificateHasExpired() throws Exception {
        Instant now = Instant.now();
        TestPki.ServerCertificate expired = pki.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), MX);
        try (TestSmtpServer server = server().startTls(expired).start()) {
            assertThat(probe(server).failure().map(Classification::resultType)).contains(ResultType.CERTIFICATE_EXPIRED);
        }
    }

    @Test
    void probeShouldReportUnreachableWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            port = free.getLocalPort();
        }
        ProbeResult result = new SmtpTlsProbe(trust, port, WAIT, "client.probe.test").probe(DomainName.of(MX).orElseThrow(), address());

        assertThat(result.kind()).isEqualTo(ProbeResult.Kind.UNREACHABLE);
        assertThat(result.failure()).isEmpty();
        assertThat(result.startTlsOffered()).isEqualTo(Optional.empty());
        assertThat(result.detail().get()).contains("cannot connect to " + MX + " [" + ADDRESS + "]:" + port);
    }

    private static TestSmtpServer.Builder server() {
        return TestSmtpServer.builder().bindAddress(ADDRESS).port(0).greetingName(MX);
    }

    private static ProbeResult probe(TestSmtpServer server) throws UnknownHostException {
        return new SmtpTlsProbe(trust, server.port(), WAIT, "client.probe.test").probe(DomainName.of(MX + ".").orElseThrow(), address());
    }

    private static InetAddress address() throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 61});
    }
}
