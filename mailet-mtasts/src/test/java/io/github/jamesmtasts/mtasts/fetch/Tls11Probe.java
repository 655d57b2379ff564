package io.github.jamesmtasts.mtasts.fetch;

import java.util.Optional;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLSocket;

import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Run by {@link HttpsPolicyFetcherTls11Test} in a child JVM whose security properties re-enable TLS 1.1 (the JDK
 * disables it by default, on both sides). Starts a TLS 1.1-only policy server, proves with a plain socket that TLS 1.1
 * really works in this JVM, then fetches with {@link HttpsPolicyFetcher}. Prints "control=" and "outcome=" lines.
 */
public final class Tls11Probe {

    private Tls11Probe() {
    }

    public static void main(String[] args) throws Exception {
        TestPki pki = TestPki.create("Tls11Probe CA");
        Path pem = pki.writePemBundle(Files.createTempFile("tls11-ca", ".pem"));
        try (PolicyHttpsServer server = PolicyHttpsServer.start(pki.issue("mta-sts.tls11.test").serverContext(), "TLSv1.1")) {
            server.route("mta-sts.tls11.test", PolicyHttpsServer.textPlain(HttpsPolicyFetcherTest.POLICY));
            System.out.println("control=" + control(pki, server.port()));
            FetchOutcome outcome = new HttpsPolicyFetcher(FetchSettings.defaults()
                .withTrust(TrustSource.of(pem, Optional.of(TrustSource.Type.PEM), Optional.empty()))
                .withAllowNetworks(List.of(Cidr.parse("127.0.0.0/8")))
                .withPort(server.port()), GuardedConnector.Resolver.JVM).fetch(DomainName.of("tls11.test").orElseThrow());
            System.out.println("outcome=" + outcome.failureType().map(t -> t.token()).orElse("success")
                + " " + outcome.failureMessage().orElse(""));
        } finally {
            Files.deleteIfExists(pem);
        }
    }

    private static String control(TestPki pki, int port) {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
             SSLSocket tls = (SSLSocket) pki.clientContext().getSocketFactory().createSocket(plain, "mta-sts.tls11.test", port, true)) {
            tls.setSoTimeout(20_000);
            tls.setEnabledProtocols(new String[] {"TLSv1.1"});
            tls.startHandshake();
            return tls.getSession().getProtocol();
        } catch (Exception e) {
            return "failed " + e;
        }
    }
}
