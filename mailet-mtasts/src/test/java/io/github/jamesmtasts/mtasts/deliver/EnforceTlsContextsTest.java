package io.github.jamesmtasts.mtasts.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/**
 * {@link EnforceTlsContexts}: enforce sessions with one MX host resume its TLS session (the CPU that stock James saves
 * with its JVM-wide context), and resumption never lets a certificate through that a full handshake would refuse.
 * TLS 1.2 on the server, so that a resumed session is the very cached session (same id and creation time).
 */
class EnforceTlsContextsTest {

    private static final String MX = "mx1.resume.test";
    private static final String OTHER_MX = "mx2.resume.test";

    private static TestPki ca;
    private static TestPki strangerCa;

    private final ExecutorService acceptor = Executors.newSingleThreadExecutor();
    private SSLServerSocket server;

    @BeforeAll
    static void pki() {
        ca = TestPki.create("resumption test CA");
        strangerCa = TestPki.create("resumption stranger CA");
    }

    @AfterEach
    void stop() throws IOException {
        acceptor.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    /** A TLS 1.2 server on loopback that completes every handshake it is offered, with one server context. */
    private void serve(TestPki.ServerCertificate certificate) throws IOException {
        server = (SSLServerSocket) certificate.serverContext().getServerSocketFactory()
            .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {"TLSv1.2"});
        acceptor.submit(() -> {
            while (!server.isClosed()) {
                try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                    ((SSLSocket) peer).startHandshake();
                    in.read(); // until the client closes
                } catch (IOException e) {
                    // a refused handshake or a closed server: next connection
                }
            }
            return null;
        });
    }

    private SSLSession handshake(StrictTlsSocketFactory factory, String mx) throws IOException {
        Socket plain = new Socket(InetAddress.getByAddress(mx, InetAddress.getLoopbackAddress().getAddress()),
            server.getLocalPort());
        try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, mx, server.getLocalPort(), true)) {
            tls.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            tls.startHandshake();
            return tls.getSession();
        }
    }

    @Test
    void enforceSessionsWithOneMxShouldResumeItsTlsSession() throws IOException {
        serve(ca.issue(MX));
        EnforceTlsContexts contexts = new EnforceTlsContexts(TrustAnchors.of(ca.trustStore()));

        SSLSession first = handshake(contexts.factoryFor(name(MX)), MX);
        SSLSession second = handshake(contexts.factoryFor(name(MX.toUpperCase(Locale.ROOT) + ".")), MX);

        assertThat(second.getId()).isEqualTo(first.getId());
        assertThat(second.getCreationTime()).isEqualTo(first.getCreationTime());
        assertThat(contexts.size()).isEqualTo(1);
    }

    @Test
    void aSessionOfOneMxNameShouldNeverBeResumedForAnother() throws IOException {
        // Both names reach the same server; its certificate names only MX.
        serve(ca.issue(MX));
        EnforceTlsContexts contexts = new EnforceTlsContexts(TrustAnchors.of(ca.trustStore()));
        handshake(contexts.factoryFor(name(MX)), MX);

        assertThatThrownBy(() -> handshake(contexts.factoryFor(name(OTHER_MX)), OTHER_MX))
            .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aTestingSessionThatToleratedABadCertificateShouldNeverBeResumedUnderEnforce() throws IOException {
        serve(strangerCa.issue(MX));
        TrustAnchors trust = TrustAnchors.of(ca.trustStore());
        SessionProbe testing = new SessionProbe();
        handshake(new StrictTlsSocketFactory(trust, MX, TlsCheckMode.OBSERVE, testing), MX);
        assertThat(testing.observedCertificateProblem()).isPresent();

        assertThatThrownBy(() -> handshake(new EnforceTlsContexts(trust).factoryFor(name(MX)), MX))
            .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void contextsShouldBeBoundedToTheMostRecentlyUsedHosts() {
        EnforceTlsContexts contexts = new EnforceTlsContexts(TrustAnchors.of(ca.trustStore()));

        for (int i = 0; i <= EnforceTlsContexts.MAX_HOSTS; i++) {
            contexts.factoryFor(name("mx" + i + ".many.test"));
        }

        assertThat(contexts.size()).isEqualTo(EnforceTlsContexts.MAX_HOSTS);
    }

    private static DomainName name(String host) {
        return DomainName.of(host).orElseThrow();
    }
}
