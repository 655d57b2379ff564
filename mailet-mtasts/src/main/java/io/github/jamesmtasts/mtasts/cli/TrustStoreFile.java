package io.github.jamesmtasts.mtasts.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.fetch.TrustSource;

/**
 * Reads the {@code --trust-store} file: a PEM bundle of CA certificates, or a PKCS12 (or JKS) key store whose
 * certificate entries are the anchors. The one trust store is used for the policy host and the MX hosts alike,
 * as a sending MTA configured with it would.
 */
final class TrustStoreFile {

    private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

    private final KeyStore keyStore;
    private final TrustSource source;

    private TrustStoreFile(KeyStore keyStore, TrustSource source) {
        this.keyStore = keyStore;
        this.source = source;
    }

    /** The anchors, for the SMTP probe's {@code TlsTrust}. */
    KeyStore keyStore() {
        return keyStore;
    }

    /** The same file for the policy fetcher, which reads it itself. */
    TrustSource source() {
        return source;
    }

    /** @throws UsageException naming the file when it is neither a PEM bundle nor a readable key store with certificates */
    static TrustStoreFile read(Path file, Optional<String> password) throws UsageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException("--trust-store " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        boolean pem = new String(bytes, StandardCharsets.ISO_8859_1).contains(PEM_CERTIFICATE);
        KeyStore store = pem ? fromPem(file, bytes) : fromKeyStore(file, bytes, password);
        try {
            if (store.size() == 0) {
                throw new UsageException("--trust-store " + file + ": it holds no certificate"
                    + (pem ? "" : " (a password-protected PKCS12 file needs --trust-store-password)"));
            }
        } catch (GeneralSecurityException e) {
            throw new UsageException("--trust-store " + file + ": " + e.getMessage(), e);
        }
        return new TrustStoreFile(store, pem ? TrustSource.pemBundle(file) : TrustSource.pkcs12(file, password));
    }

    private static KeyStore fromPem(Path file, byte[] bytes) throws UsageException {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(bytes));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new UsageException("--trust-store " + file + ": not a valid PEM certificate bundle (" + e.getMessage()
                + ")", e);
        }
    }

    private static KeyStore fromKeyStore(Path file, byte[] bytes, Optional<String> password) throws UsageException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password.map(String::toCharArray).orElse(null));
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isCertificateEntry(alias)) {
                    // Private keys are of no use to a trust store and must not be handed to the trust manager.
                    store.deleteEntry(alias);
                }
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new UsageException("--trust-store " + file + ": neither a PEM bundle nor a PKCS12/JKS key store that "
                + "opens with the given --trust-store-password (" + e.getMessage() + ")", e);
        }
    }
}
