package io.github.jamesmtasts.tlsrpt.net;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A configured trust store file: the certificate authorities a TLS client of ours (policy hosts, MX hosts, report
 * collectors) trusts instead of the JVM's default trust store. Immutable; {@link TrustAnchors#load} reads it.
 */
public final class TrustSource {

    /** The file formats {@link TrustAnchors#load} reads. */
    public enum Type {
        /** One or more {@code -----BEGIN CERTIFICATE-----} blocks. */
        PEM,
        PKCS12,
        JKS;

        /** @throws IllegalArgumentException when {@code value} is none of PEM, PKCS12, JKS (any case) */
        public static Type fromSetting(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final Path path;
    private final Optional<Type> type;
    private final Optional<String> password;

    private TrustSource(Path path, Optional<Type> type, Optional<String> password) {
        this.path = Objects.requireNonNull(path, "path");
        this.type = Objects.requireNonNull(type, "type");
        this.password = Objects.requireNonNull(password, "password");
    }

    /** @param type the declared format; empty: recognised from the content (PEM text, else a PKCS12 or JKS key store) */
    public static TrustSource of(Path path, Optional<Type> type, Optional<String> password) {
        return new TrustSource(path, type, password);
    }

    public Path path() {
        return path;
    }

    /** The declared format; empty means recognised from the content. */
    public Optional<Type> type() {
        return type;
    }

    public Optional<String> password() {
        return password;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrustSource)) {
            return false;
        }
        TrustSource that = (TrustSource) o;
        return path.equals(that.path) && type.equals(that.type) && password.equals(that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, type, password);
    }

    @Override
    public String toString() {
        // never print the password
        return "TrustSource{" + type.map(Type::name).orElse("auto") + " " + path + "}";
    }
}
