package io.github.jamesmtasts.tlsrpt.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The PKIX trust anchors of a TLS client of ours: the JVM's default trust store, or a configured file (PEM bundle,
 * PKCS12 or JKS; the one loader for policy hosts, MX hosts, report collectors and the CLI). Thread-safe and
 * reusable: build once, share across connections. Only certificate entries of a key store count as anchors: a
 * private key has no business in a trust store.
 */
public final class TrustAnchors {

    /** The most of a trust store file read; a bundle of every public CA is about 250 KB. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

    private final X509ExtendedTrustManager pkix;
    private final String description;

    private TrustAnchors(X509ExtendedTrustManager pkix, String description) {
        this.pkix = Objects.requireNonNull(pkix);
        this.description = description;
    }

    /** The JVM's default trust anchors ({@code javax.net.ssl.trustStore} or the JDK's {@code cacerts}). */
    public static TrustAnchors jvmDefault() {
        return of(null, "JVM default trust store");
    }

    /** The certificate entries of {@code store}. */
    public static TrustAnchors of(KeyStore store) {
        try {
            return of(certificatesOnly(store), "configured trust store");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the configured trust store: " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the file and what to check when it cannot be read, is of another format
     *     or holds no certificate: a configuration error that must stop start-up rather than fall back to other trust
     */
    public static TrustAnchors load(TrustSource source) {
        try {
            byte[] bytes = read(source);
            boolean pem = source.type().map(t -> t == TrustSource.Type.PEM)
                .orElseGet(() -> new String(bytes, StandardCharsets.ISO_8859_1).contains(PEM_CERTIFICATE));
            KeyStore store = pem ? fromPem(bytes) : fromKeyStore(bytes, source);
            if (store.size() == 0) {
                throw new GeneralSecurityException("it holds no certificate" + (pem ? ""
                    : " (a password-protected key store needs its password)"));
            }
            return of(store, "trust store " + source.path());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the trust store " + source.path() + ": " + e.getMessage()
                + " (give a readable PEM bundle of CA certificates, or a PKCS12 or JKS trust store and its password)", e);
        }
    }

    private static byte[] read(TrustSource source) throws IOException {
        if (Files.size(source.path()) > MAX_FILE_BYTES) {
            throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        return Files.readAllBytes(source.path());
    }

    private static KeyStore fromPem(byte[] bytes) throws GeneralSecurityException, IOException {
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    private static KeyStore fromKeyStore(byte[] bytes, TrustSource source) throws GeneralSecurityException, IOException {
        char[] password = source.password().map(String::toCharArray).orElse(null);
        List<String> types = source.type().map(t -> List.of(t.name())).orElse(List.of("PKCS12", "JKS"));
        GeneralSecurityException typeFailure = null;
        for (String type : types) {
            KeyStore store = KeyStore.getInstance(type);
            try {
                store.load(new ByteArrayInputStream(bytes), password);
                return certificatesOnly(store);
            } catch (IOException e) {
                // A wrong password and a wrong format both surface as IOException: name the last one tried.
                typeFailure = new GeneralSecurityException("not a " + String.join(" or ", types)
                    + " key store that opens with the given password (" + e.getMessage() + ")", e);
            }
        }
        throw typeFailure;
    }

    private static KeyStore certificatesOnly(KeyStore store) throws GeneralSecurityException {
        if (store == null) {
            return null;
        }
        KeyStore anchors = emptyStore();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isCertificateEntry(alias)) {
                anchors.setCertificateEntry(alias, store.getCertificate(alias));
            }
        }
        return anchors;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    private static TrustAnchors of(KeyStore store, String description) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return new TrustAnchors((X509ExtendedTrustManager) manager, description);
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory returned no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise PKIX trust from the " + description, e);
        }
    }

    /** PKIX validation only; the identity check is {@link DnsIdTrustManager}'s. */
    public X509ExtendedTrustManager pkixTrustManager() {
        return pkix;
    }

    /**
     * A TLS client context trusting these anchors that accepts a server certificate only when a subjectAltName
     * dNSName names the host the socket was created for ({@link DnsIdTrustManager}). Build once and reuse.
     */
    public SSLContext clientContext() {
        return DnsIdTrustManager.clientContext(this, Optional.empty());
    }

    @Override
    public String toString() {
        return description;
    }
}
