package io.github.jamesmtasts.mtasts.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import io.github.jamesmtasts.tlsrpt.net.DnsIdTrustManager;

/**
 * Builds the TLS client context of the policy fetcher from a {@link TrustSource} (or the JVM default trust), checking
 * the policy host's identity by subjectAltName DNS-ID only ({@link DnsIdTrustManager}).
 */
final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * @throws IllegalArgumentException naming the file when the trust source cannot be read: a configuration error
     *     that must stop start-up rather than silently fall back to another trust store
     */
    static SSLContext clientContext(Optional<TrustSource> trust) {
        try {
            // RFC 8461 3.3 (F): the certificate must name mta-sts.<domain> in a DNS SAN; JSSE alone would accept a CN.
            return DnsIdTrustManager.clientContext(trust.isEmpty() ? Optional.empty() : Optional.of(load(trust.get())));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use " + trust.map(TrustSource::toString).orElse("the JVM default trust store")
                + " for MTA-STS policy fetches: " + e.getMessage()
                + "; give a readable PEM bundle of CA certificates or a PKCS12 trust store and its password", e);
        }
    }

    private static KeyStore load(TrustSource source) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(source.path())) {
            if (source.type() == TrustSource.Type.PKCS12) {
                store.load(in, source.password().map(String::toCharArray).orElse(null));
            } else {
                store.load(null, null);
                Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                int i = 0;
                for (Certificate certificate : certificates) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
            }
        }
        if (store.size() == 0) {
            throw new GeneralSecurityException(source.path() + " holds no certificate");
        }
        return store;
    }
}
