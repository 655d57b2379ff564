package io.github.jamesmtasts.mtasts.dane;

import static io.github.jamesmtasts.mtasts.dane.TlsaMatcherTest.tlsa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.classify.TlsFailureClassifier;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/** Real TLS handshakes on 127.0.0.1: a TestPki server, the client set up by {@link DaneTls}. */
class DaneTrustManagerTest {

    private static final int IO_TIMEOUT_MILLIS = 20_000;
    private static final DomainName MX = DomainName.of("mx.dane-tls.example").orElseThrow();

    private static final TestPki ROOT = TestPki.create("DaneTrustManagerTest root");
    private static final TestPki INTERMEDIATE = ROOT.intermediate("DaneTrustManagerTest intermediate");
    private static final TestPki.ServerCertificate LEAF = INTERMEDIATE.issue(MX.asString());
    private static final TestPki.ServerCertificate OTHER_NAME = INTERMEDIATE.issue("mx.elsewhere.example");

    private static ExecutorService server;

    private final SettableClock clock = new SettableClock(Instant.now());
    private final TlsFailureClassifier classifier = new TlsFailureClassifier();

    @BeforeAll
    static void startExecutor() {
        server = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stopExecutor() {
        server.shutdownNow();
    }

    private static MxDane host(TlsaRecord... records) {
        return MxDane.secureTlsa(MX, MX, List.of(records));
    }

    @Test
    void matchingDaneEeRecordShouldCompleteTheHandshakeWithSniAndNoHostNameCheck() throws Exception {
        // The leaf names another host: JSSE's HTTPS check would refuse it, DANE-EE(3) does not look (RFC 7672 3.2.1).
        Handshake result = handshake(OTHER_NAME.presenting(OTHER_NAME.certificate()),
            host(tlsa(3, 1, 1, OTHER_NAME.certificate())));

        assertThat(result.failure).isEmpty();
        assertThat(result.peer).isEqualTo(OTHER_NAME.certificate());
        assertThat(result.serverNames).containsExactly(new SNIHostName(MX.asString()));
        assertThat(result.protocol).isIn("TLSv1.3", "TLSv1.2");
    }

    @Test
    void nonMatchingRecordShouldFailTheHandshakeAsTlsaInvalid() throws Exception {
        Handshake result = handshake(LEAF, host(tlsa(3, 1, 1, OTHER_NAME.certificate())));

        assertThat(result.failure).containsInstanceOf(SSLHandshakeException.class);
        assertThat(result.failure.get()).hasRootCauseInstanceOf(DaneCertificateException.class)
            .hasStackTraceContaining(MX.asString());
        assertThat(classifier.classify(result.failure.get()))
            .isEqualTo(Classification.of(ResultType.TLSA_INVALID, TlsaMatcher.NO_MATCH));
        assertThat(result.serverNames).containsExactly(new SNIHostName(MX.asString()));
    }

    @Test
    void daneTaRecordForTheRootShouldAuthenticateTheWholeChain() throws Exception {
        Handshake result = handshake(LEAF, host(tlsa(2, 0, 1, ROOT.caCertificate())));

        assertThat(result.failure).isEmpty();
        assertThat(result.peer).isEqualTo(LEAF.certificate());
    }

    @Test
    void daneTaRecordWithALeafForAnotherHostShouldBeAHostMismatch() throws Exception {
        Handshake result = handshake(OTHER_NAME, host(tlsa(2, 1, 1, INTERMEDIATE.caCertificate())));

        assertThat(classifier.classify(result.failure.orElseThrow()))
            .isEqualTo(Classification.of(ResultType.CERTIFICATE_HOST_MISMATCH));
    }

    @Test
    void daneTaChainShouldBeCheckedAtTheClocksTime() throws Exception {
        clock.advance(Duration.ofDays(400));

        Handshake result = handshake(LEAF, host(tlsa(2, 1, 1, INTERMEDIATE.caCertificate())));

        assertThat(classifier.classify(result.failure.orElseThrow()))
            .isEqualTo(Classification.of(ResultType.CERTIFICATE_EXPIRED));
    }

    @Test
    void daneTaRecordForACertificateTheServerDoesNotSendShouldFail() throws Exception {
        // RFC 7672 3.1.2: the server must send its trust anchor; the client never adds one of its own.
        Handshake result = handshake(LEAF.presenting(LEAF.certificate(), INTERMEDIATE.caCertificate()),
            host(tlsa(2, 0, 1, ROOT.caCertificate())));

        assertThat(classifier.classify(result.failure.orElseThrow()))
            .isEqualTo(Classification.of(ResultType.TLSA_INVALID, TlsaMatcher.NO_MATCH));
    }

    @Test
    void encryptOnlyHostShouldAcceptAnyCertificate() throws Exception {
        TestPki stranger = TestPki.create("DaneTrustManagerTest stranger");
        MxDane encryptOnly = host(TlsaRecord.of(1, 1, 1, new byte[32]));

        Handshake result = handshake(stranger.issue("whatever.example"), encryptOnly);

        assertThat(encryptOnly.kind()).isEqualTo(MxDane.Kind.ENCRYPT_ONLY);
        assertThat(result.failure).isEmpty();
        assertThat(result.serverNames).containsExactly(new SNIHostName(MX.asString()));
    }

    @Test
    void hostsWithoutADaneSessionShouldGetNoTrustManager() {
        assertThatThrownBy(() -> DaneTrustManager.forHost(MxDane.notApplicable(MX, "insecure TLSA answer")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(MX.asString());
        assertThatThrownBy(() -> DaneTrustManager.forHost(MxDane.unusable(MX, ResultType.DNSSEC_INVALID, "bogus")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(MX.asString());
        assertThatThrownBy(() -> DaneTrustManager.acceptingAnyCertificate(host(tlsa(3, 1, 1, LEAF.certificate()))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUTHENTICATE");
    }

    @Test
    void forHostShouldCheckAuthenticatedHostsAndOnlyThem() throws Exception {
        X509Certificate[] chain = LEAF.chain();

        DaneTrustManager.forHost(host(tlsa(3, 1, 1, LEAF.certificate()))).checkServerTrusted(chain, "ECDHE_ECDSA");
        assertThatThrownBy(() -> DaneTrustManager.forHost(host(tlsa(3, 1, 1, OTHER_NAME.certificate())))
            .checkServerTrusted(chain, "ECDHE_ECDSA")).isInstanceOf(DaneCertificateException.class);
        assertThatThrownBy(() -> DaneTrustManager.forHost(host(tlsa(3, 1, 1, LEAF.certificate())))
            .checkClientTrusted(chain, "ECDHE_ECDSA")).isNotInstanceOf(DaneCertificateException.class);
        assertThat(DaneTrustManager.forHost(host(tlsa(3, 1, 1, LEAF.certificate()))).getAcceptedIssuers()).isEmpty();
    }

    @Test
    void configuredSocketShouldOfferOnlyTls12AndUpWithoutEndpointIdentification() throws Exception {
        SSLContext context = DaneTls.clientContext(host(tlsa(3, 1, 1, LEAF.certificate())), clock);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            DaneTls.configure(socket, MX);

            assertThat(socket.getSSLParameters().getProtocols()).isNotEmpty()
                .allMatch(p -> p.equals("TLSv1.3") || p.equals("TLSv1.2"));
            assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
            assertThat(socket.getSSLParameters().getServerNames()).containsExactly(new SNIHostName(MX.asString()));
        }
    }

    private static final class Handshake {
        Optional<Exception> failure = Optional.empty();
        X509Certificate peer;
        String protocol;
        List<SNIServerName> serverNames = List.of();
    }

    private Handshake handshake(TestPki.ServerCertificate certificate, MxDane host) throws Exception {
        Handshake result = new Handshake();
        try (SSLServerSocket listener = (SSLServerSocket) certificate.serverContext().getServerSocketFactory()
            .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Future<List<SNIServerName>> accepted = server.submit(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(IO_TIMEOUT_MILLIS);
                    List<SNIServerName> seen = new CopyOnWriteArrayList<>();
                    SSLParameters parameters = socket.getSSLParameters();
                    // Called with the ClientHello's server_name, before the client's certificate check can end it.
                    parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                        @Override
                        public boolean matches(SNIServerName name) {
                            seen.add(name);
                            return true;
                        }
                    }));
                    socket.setSSLParameters(parameters);
                    try {
                        socket.startHandshake();
                        socket.getOutputStream().write('x');
                        socket.getOutputStream().flush();
                        socket.getInputStream().read();
                    } catch (IOException expectedWhenTheClientRefuses) {
                        // the client side decides the outcome
                    }
                    return List.copyOf(seen);
                }
            });
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()),
                    IO_TIMEOUT_MILLIS);
                plain.setSoTimeout(IO_TIMEOUT_MILLIS);
                SSLSocket tls = (SSLSocket) DaneTls.clientContext(host, clock).getSocketFactory()
                    .createSocket(plain, "ignored.invalid", listener.getLocalPort(), true);
                DaneTls.configure(tls, MX);
                try (tls) {
                    tls.startHandshake();
                    assertThat(tls.getInputStream().read()).isEqualTo('x');
                    result.peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                    result.protocol = tls.getSession().getProtocol();
                } catch (IOException e) {
                    result.failure = Optional.of(e);
                }
            } finally {
                result.serverNames = accepted.get(IO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        return result;
    }
}
