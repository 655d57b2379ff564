package io.github.jamesmtasts.tlsrpt.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests: real X.509 certificates (EC P-256, SHA256withECDSA) that the JDK's
 * PKIX validation and HTTPS/SMTP hostname verification treat exactly like WebPKI certificates, so TLS tests exercise
 * the production code paths instead of a trust-all shortcut.
 *
 * <p>Tests that need "the real clock" for validity use this class directly (it reads the system clock only to pick
 * validity windows around now); tests that need a specific window use {@link #issue(Instant, Instant, String...)}.
 */
public final class TestPki {

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String caName;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    /** This CA's certificate, then its issuers' up to the root: what a server sends after its own certificate. */
    private final X509Certificate[] caChain;

    private TestPki(String caName, KeyPair caKeys, X509Certificate caCertificate, X509Certificate[] caChain) {
        this.caName = caName;
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
        this.caChain = caChain;
    }

    /** A new self-signed CA valid from yesterday for ten years. */
    public static TestPki create(String caName) {
        Objects.requireNonNull(caName, "caName");
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        X500Name subject = name(caName);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, nextSerial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(3653))), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate root = sign(builder, keys.getPrivate());
            return new TestPki(caName, keys, root, new X509Certificate[] {root});
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create test CA " + caName, e);
        }
    }

    /**
     * An intermediate CA signed by this CA, valid from yesterday for five years: the certificates it issues come
     * with the chain leaf, intermediate, this CA (and this CA's issuers), as a server sends it.
     */
    public TestPki intermediate(String name) {
        Instant now = Instant.now();
        return intermediate(name, now.minus(BACKDATE), now.plus(Duration.ofDays(1826)));
    }

    /** An intermediate CA with an explicit validity window (e.g. already expired). */
    public TestPki intermediate(String name, Instant notBefore, Instant notAfter) {
        return subordinate(name, notBefore, notAfter, true);
    }

    /**
     * A certificate signed by this CA that is NOT a CA (basicConstraints cA false, though its key usage allows
     * keyCertSign) but is used as one: the certificates it issues have a chain whose signatures verify and whose path
     * is invalid for the basic constraints alone (RFC 5280 6.1.4 (k)).
     */
    public TestPki notCaIntermediate(String name) {
        Instant now = Instant.now();
        return subordinate(name, now.minus(BACKDATE), now.plus(Duration.ofDays(365)), false);
    }

    private TestPki subordinate(String name, Instant notBefore, Instant notAfter, boolean ca) {
        Objects.requireNonNull(name, "name");
        KeyPair keys = newKeyPair();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, nextSerial(),
                    Date.from(notBefore), Date.from(notAfter), name(name), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                        : KeyUsage.keyCertSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCertificate));
            X509Certificate certificate = sign(builder, caKeys.getPrivate());
            X509Certificate[] chain = new X509Certificate[caChain.length + 1];
            chain[0] = certificate;
            System.arraycopy(caChain, 0, chain, 1, caChain.length);
            return new TestPki(name, keys, certificate, chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create test intermediate CA " + name, e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** This CA's certificate, then its issuers' up to the self-signed root. */
    public X509Certificate[] caChain() {
        return caChain.clone();
    }

    /** A server certificate signed by this CA, valid from yesterday for a year, with the given SAN dNSName entries. */
    public ServerCertificate issue(String... dnsNames) {
        Instant now = Instant.now();
        return issue(now.minus(BACKDATE), now.plus(Duration.ofDays(365)), dnsNames);
    }

    /**
     * A server certificate with an explicit validity window (e.g. already expired, or not yet valid). With no
     * dnsNames the certificate carries no subjectAltName at all (the CN is then "no-san.invalid").
     */
    public ServerCertificate issue(Instant notBefore, Instant notAfter, String... dnsNames) {
        return issueNamed(notBefore, notAfter, dnsNames.length > 0 ? dnsNames[0] : "no-san.invalid", dnsNames);
    }

    /**
     * A server certificate that names {@code host} only in its subject CN, with no subjectAltName: accepted by JSSE's
     * {@code HTTPS} endpoint identification (CN fallback), refused by an RFC 6125 DNS-ID check.
     */
    public ServerCertificate issueCnOnly(String host) {
        Instant now = Instant.now();
        return issueNamed(now.minus(BACKDATE), now.plus(Duration.ofDays(365)), host);
    }

    private ServerCertificate issueNamed(Instant notBefore, Instant notAfter, String commonName, String... dnsNames) {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        KeyPair keys = newKeyPair();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, nextSerial(),
                    Date.from(notBefore), Date.from(notAfter), name(commonName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCertificate));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509Certificate leaf = sign(builder, caKeys.getPrivate());
            X509Certificate[] chain = new X509Certificate[caChain.length + 1];
            chain[0] = leaf;
            System.arraycopy(caChain, 0, chain, 1, caChain.length);
            return new ServerCertificate(leaf, keys.getPrivate(), chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue test certificate for " + String.join(",", dnsNames), e);
        }
    }

    /** PKCS12 key store holding only this CA's certificate (alias "ca"): an intermediate is then a trust anchor. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", caCertificate);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build trust store for " + caName, e);
        }
    }

    /** A PKIX trust manager that trusts only this CA. */
    public X509TrustManager trustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore());
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    return (X509TrustManager) manager;
                }
            }
            throw new IllegalStateException("PKIX trust manager factory returned no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build trust manager for " + caName, e);
        }
    }

    /** A TLS client context that trusts only this CA and presents no client certificate. */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager()}, RANDOM);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build client SSLContext for " + caName, e);
        }
    }

    /** Writes the CA certificate as a PEM bundle and returns {@code file}. */
    public Path writePemBundle(Path file) {
        try {
            Files.write(file, pem(caCertificate).getBytes(StandardCharsets.US_ASCII));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@link #trustStore()} as a PKCS12 file and returns {@code file}. */
    public Path writePkcs12TrustStore(Path file, char[] password) {
        return store(trustStore(), file, password);
    }

    /** A leaf certificate with its private key; chain is leaf, then the CA (and the CA's issuers up to the root). */
    public static final class ServerCertificate {
        private final X509Certificate certificate;
        private final PrivateKey privateKey;
        private final X509Certificate[] chain;

        private ServerCertificate(X509Certificate certificate, PrivateKey privateKey, X509Certificate[] chain) {
            this.certificate = certificate;
            this.privateKey = privateKey;
            this.chain = chain;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        public PrivateKey privateKey() {
            return privateKey;
        }

        public X509Certificate[] chain() {
            return chain.clone();
        }

        /**
         * The same certificate and key presenting {@code presented} as its chain in the TLS handshake instead (leaf
         * only, the CA left out, a chain in the wrong order, a padded chain): how real servers get it wrong.
         */
        public ServerCertificate presenting(X509Certificate... presented) {
            if (presented.length == 0 || !presented[0].equals(certificate)) {
                throw new IllegalArgumentException("a presented chain starts with the server's own certificate");
            }
            return new ServerCertificate(certificate, privateKey, presented.clone());
        }

        /** PKCS12 key store with the key and chain under alias "server", protected by {@code password}. */
        public KeyStore keyStore(char[] password) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", privateKey, password, chain);
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot build server key store", e);
            }
        }

        /** Writes {@link #keyStore(char[])} to {@code file} (e.g. a James conf/keystore) and returns it. */
        public Path writePkcs12(Path file, char[] password) {
            return store(keyStore(password), file, password);
        }

        /** A TLS server context presenting this certificate (and the CA) and trusting nothing. */
        public SSLContext serverContext() {
            char[] password = "server".toCharArray();
            try {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keyStore(password), password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(factory.getKeyManagers(), null, RANDOM);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build server SSLContext", e);
            }
        }
    }

    private static Path store(KeyStore store, Path file, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write key store " + file, e);
        }
    }

    private static String pem(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create signer", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 key generation unavailable", e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "james-mtasts tests").addRDN(BCStyle.CN, commonName).build();
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet()).shiftLeft(16).or(BigInteger.valueOf(RANDOM.nextInt(1 << 16)));
    }
}
