package io.github.jamesmtasts.mtasts.deliver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The PKIX trust anchors MX certificates must chain to (RFC 8461 4.2): the JVM's default trust store, or a
 * configured one. Thread-safe and reusable: build once, share across deliveries.
 */
public final class TlsTrust {

    private final X509ExtendedTrustManager pkix;
    private final String description;

    private TlsTrust(X509ExtendedTrustManager pkix, String description) {
        this.pkix = Objects.requireNonNull(pkix);
        this.description = description;
    }

    /** The JVM's default trust anchors ({@code javax.net.ssl.trustStore} or the JDK's {@code cacerts}). */
    public static TlsTrust jvmDefault() {
        return fromKeyStore(null, "JVM default trust store");
    }

    public static TlsTrust fromKeyStore(KeyStore trustStore) {
        return fromKeyStore(trustStore, "configured trust store");
    }

    /**
     * @throws IllegalArgumentException naming the file when it cannot be read as a trust store of that type
     */
    public static TlsTrust fromFile(Path file, String type, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return fromKeyStore(store, "trust store " + file);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the " + type + " trust store " + file + ": " + e.getMessage()
                + " (check the path, type and password)", e);
        }
    }

    private static TlsTrust fromKeyStore(KeyStore trustStore, String description) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return new TlsTrust((X509ExtendedTrustManager) manager, description);
                }
            }
            throw new IllegalStateException("The PKIX trust manager factory returned no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot initialise PKIX trust from the " + description, e);
        }
    }

    /** Validates chains with PKIX; performs an identity check only when handed a socket/engine whose parameters ask for one. */
    public X509ExtendedTrustManager pkixTrustManager() {
        return pkix;
    }

    @Override
    public String toString() {
        return description;
    }
}
