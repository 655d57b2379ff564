package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.classify.TlsFailureClassifier;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/**
 * The one certificate check of MX hosts, policy hosts and collectors, over real handshakes on loopback: PKIX, then the
 * subjectAltName DNS-ID of the host the socket was created for (no CN fallback), failures typed for RFC 8460.
 */
class DnsIdTrustManagerTest {

    private static final TestPki PKI = TestPki.create("DnsIdTrustManagerTest CA");
    private static final TrustAnchors ANCHORS = TrustAnchors.of(PKI.trustStore());
    private static final String HOST = "mx.example.test";

    static Stream<Arguments> certificates() {
        Instant now = Instant.now();
        return Stream.of(
            arguments("M 4.2 SAN names the host", PKI.issue(HOST).serverContext(), null),
            arguments("M 4.2 wildcard SAN covers one label", PKI.issue("*.example.test").serverContext(), null),
            arguments("F 3.3 a subject CN never counts", PKI.issueCnOnly(HOST).serverContext(),
                ResultType.CERTIFICATE_HOST_MISMATCH),
            arguments("M 4.2 SAN of another host", PKI.issue("other.example.test").serverContext(),
                ResultType.CERTIFICATE_HOST_MISMATCH),
            arguments("M 4.2 expired", PKI.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), HOST)
                .serverContext(), ResultType.CERTIFICATE_EXPIRED),
            arguments("M 4.2 unknown CA", TestPki.create("someone else's CA").issue(HOST).serverContext(),
                ResultType.CERTIFICATE_NOT_TRUSTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("certificates")
    void requiringShouldFailTheHandshakeWithATypedFailure(String rule, SSLContext server, ResultType failure) throws Exception {
        SSLContext client = DnsIdTrustManager.clientContext(ANCHORS, Optional.empty());

        if (failure == null) {
            handshake(server, client);
        } else {
            assertThatThrownBy(() -> handshake(server, client)).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(new TlsFailureClassifier().classify(e).resultType()).isEqualTo(failure));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("certificates")
    void observingShouldLetTheHandshakeGoOnAndHandOverTheProblem(String rule, SSLContext server, ResultType failure)
        throws Exception {
        List<CertificateException> observed = new CopyOnWriteArrayList<>();
        SSLContext client = DnsIdTrustManager.clientContext(ANCHORS, Optional.of(observed::add));

        handshake(server, client);

        if (failure == null) {
            assertThat(observed).isEmpty();
        } else {
            assertThat(observed).singleElement()
                .satisfies(e -> assertThat(new TlsFailureClassifier().classify(e).resultType()).isEqualTo(failure));
        }
    }

    /** Completes a TLS handshake with a one-shot loopback server, the client socket created for {@link #HOST}. */
    private static void handshake(SSLContext server, SSLContext client) throws IOException {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
            .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    accepted.getInputStream().read();
                } catch (IOException e) {
                    // the client refused the certificate: that is the test's subject, seen on the client side
                }
            }, "DnsIdTrustManagerTest server");
            acceptor.setDaemon(true);
            acceptor.start();
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                 SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, HOST, listener.getLocalPort(), true)) {
                tls.setSoTimeout(10_000);
                tls.setSSLParameters(TlsProtocols.restrict(tls.getSSLParameters(), tls.getSupportedProtocols()));
                tls.startHandshake();
            }
        }
    }
}
