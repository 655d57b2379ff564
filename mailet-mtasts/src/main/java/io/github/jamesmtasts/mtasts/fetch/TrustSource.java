package io.github.jamesmtasts.mtasts.fetch;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the policy fetcher finds the certificate authorities it trusts instead of the JVM's default trust store:
 * a PEM bundle of CA certificates, or a PKCS12 trust store (optionally password protected).
 */
public final class TrustSource {

    public enum Type {
        PEM,
        PKCS12
    }

    private final Path path;
    private final Type type;
    private final Optional<String> password;

    private TrustSource(Path path, Type type, Optional<String> password) {
        this.path = Objects.requireNonNull(path, "path");
        this.type = Objects.requireNonNull(type, "type");
        this.password = Objects.requireNonNull(password, "password");
    }

    public static TrustSource pemBundle(Path path) {
        return new TrustSource(path, Type.PEM, Optional.empty());
    }

    public static TrustSource pkcs12(Path path, Optional<String> password) {
        return new TrustSource(path, Type.PKCS12, password);
    }

    public Path path() {
        return path;
    }

    public Type type() {
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
        return path.equals(that.path) && type == that.type && password.equals(that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, type, password);
    }

    @Override
    public String toString() {
        // never print the password
        return "TrustSource{" + type + " " + path + "}";
    }
}
