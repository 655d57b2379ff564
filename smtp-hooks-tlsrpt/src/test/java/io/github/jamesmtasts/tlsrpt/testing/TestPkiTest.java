package io.github.jamesmtasts.tlsrpt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    private static final int IO_TIMEOUT_MILLIS = 20_000;
    private static TestPki pki;
    private static ExecutorService server;

    @BeforeAll
    static void setUp() {
        pki = TestPki.create("TestPkiTest CA");
        server = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void tearDown() {
        server.shutdownNow();
    }

    @Test
    void handshakeShouldSucceedWhenCertificateIsValidForHostAndSignedByTrustedCa() throws Exception {
        TestPki.ServerCertificate cert = pki.issue("pki.test", "other.pki.test");

        X509Certificate peer = handshake(cert.serverContext(), pki.clientContext(), "pki.test");

        assertThat(peer).isEqualTo(cert.certificate());
        assertThat(peer.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly("pki.test", "other.pki.test");
    }

    @Test
    void handshakeShouldFailWhenCertificateIsExpired() {
        Instant now = Instant.now();
        TestPki.ServerCertificate expired = pki.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "pki.test");

        assertThatThrownBy(() -> handshake(expired.serverContext(), pki.clientContext(), "pki.test"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void handshakeShouldFailWhenCertificateIsSignedByAnotherCa() {
        TestPki.ServerCertificate foreign = TestPki.create("Other CA").issue("pki.test");

        assertThatThrownBy(() -> handshake(foreign.serverContext(), pki.clientContext(), "pki.test"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void handshakeShouldFailWhenCertificateNamesAnotherHost() {
        TestPki.ServerCertificate wrongHost = pki.issue("elsewhere.test");

        assertThatThrownBy(() -> handshake(wrongHost.serverContext(), pki.clientContext(), "pki.test"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void writtenFilesShouldHoldTheCaAndServerKey(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        TestPki.ServerCertificate cert = pki.issue("pki.test");

        Path pem = pki.writePemBundle(dir.resolve("ca.pem"));
        Path trust = pki.writePkcs12TrustStore(dir.resolve("trust.p12"), password);
        Path keys = cert.writePkcs12(dir.resolve("server.p12"), password);

        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends java.security.cert.Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            assertThat(List.<Object>copyOf(read)).containsExactly(pki.caCertificate());
        }
        KeyStore trustStore = load(trust, password);
        assertThat(List.of(trustStore.aliases().nextElement())).containsExactly("ca");
        assertThat(trustStore.getCertificate("ca")).isEqualTo(pki.caCertificate());
        KeyStore keyStore = load(keys, password);
        assertThat(keyStore.getKey("server", password)).isEqualTo(cert.privateKey());
        assertThat(keyStore.getCertificateChain("server")).containsExactly(cert.certificate(), pki.caCertificate());
    }

    @Test
    void trustManagerShouldAcceptOnlyChainsOfThisCa() throws Exception {
        TestPki.ServerCertificate own = pki.issue("pki.test");
        TestPki.ServerCertificate foreign = TestPki.create("Foreign CA").issue("pki.test");

        pki.trustManager().checkServerTrusted(own.chain(), "ECDHE_ECDSA");
        assertThatThrownBy(() -> pki.trustManager().checkServerTrusted(foreign.chain(), "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateException.class);
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    /** Runs a TLS handshake on 127.0.0.1 with SNI + HTTPS-style hostname verification for {@code host}. */
    @Test
    void certificateOfAnIntermediateShouldComeWithTheWholeChainAndValidateUnderTheRoot() throws Exception {
        TestPki intermediate = pki.intermediate("TestPkiTest intermediate");
        TestPki.ServerCertificate cert = intermediate.issue("chain.pki.test");

        assertThat(cert.chain()).containsExactly(cert.certificate(), intermediate.caCertificate(), pki.caCertificate());
        assertThat(intermediate.caChain()).containsExactly(intermediate.caCertificate(), pki.caCertificate());
        assertThat(handshake(cert.serverContext(), pki.clientContext(), "chain.pki.test")).isEqualTo(cert.certificate());
    }

    @Test
    void notCaIntermediateShouldFailPathValidationOnItsBasicConstraints() {
        TestPki.ServerCertificate cert = pki.notCaIntermediate("TestPkiTest not a CA").issue("bad.pki.test");

        assertThatThrownBy(() -> pki.trustManager().checkServerTrusted(cert.chain(), "ECDHE_ECDSA"))
            .hasStackTraceContaining("basic constraints");
    }

    @Test
    void presentingShouldSendTheGivenChainAndRefuseOneWithoutTheLeaf() throws Exception {
        // Under an intermediate: without it in the chain the client cannot reach the root it trusts.
        TestPki.ServerCertificate cert = pki.intermediate("TestPkiTest short intermediate").issue("short.pki.test");
        TestPki.ServerCertificate leafOnly = cert.presenting(cert.certificate());

        assertThat(leafOnly.chain()).containsExactly(cert.certificate());
        assertThatThrownBy(() -> cert.presenting(pki.caCertificate())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handshake(leafOnly.serverContext(), pki.clientContext(), "short.pki.test"))
            .isInstanceOf(SSLHandshakeException.class);
    }

    private static X509Certificate handshake(SSLContext serverContext, SSLContext clientContext, String host) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<?> accepted = server.submit(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(IO_TIMEOUT_MILLIS);
                    socket.startHandshake();
                    socket.getOutputStream().write('x');
                    socket.getOutputStream().flush();
                } catch (Exception expectedWhenClientRejects) {
                    // the client side assertion decides the outcome
                }
                return null;
            });
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), IO_TIMEOUT_MILLIS);
                plain.setSoTimeout(IO_TIMEOUT_MILLIS);
                try (SSLSocket tls = (SSLSocket) clientContext.getSocketFactory()
                        .createSocket(plain, host, listener.getLocalPort(), true)) {
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                    tls.setSSLParameters(parameters);
                    tls.startHandshake();
                    assertThat(tls.getInputStream().read()).isEqualTo('x');
                    return (X509Certificate) tls.getSession().getPeerCertificates()[0];
                }
            } finally {
                accepted.get(IO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
