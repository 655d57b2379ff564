package io.github.jamesmtasts.tlsrpt.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the durable state (MTA-STS policy cache, TLS-RPT counters and send claims) lives: either the embedded
 * file database (zero configuration, one James node) or a PostgreSQL server shared by a cluster of James nodes.
 */
public final class DatabaseSettings {

    public static final int DEFAULT_POOL_SIZE = 4;

    private final Optional<Path> embeddedFile;
    private final Optional<String> jdbcUrl;
    private final Optional<String> user;
    private final Optional<String> password;
    private final int poolSize;

    private DatabaseSettings(Optional<Path> embeddedFile, Optional<String> jdbcUrl, Optional<String> user,
                             Optional<String> password, int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("database pool size must be at least 1, was " + poolSize);
        }
        this.embeddedFile = embeddedFile;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.poolSize = poolSize;
    }

    /**
     * The embedded H2 database.
     *
     * @param file base path of the database files, without extension (H2 appends {@code .mv.db})
     */
    public static DatabaseSettings embedded(Path file) {
        return new DatabaseSettings(Optional.of(file.toAbsolutePath()), Optional.empty(), Optional.empty(),
            Optional.empty(), DEFAULT_POOL_SIZE);
    }

    /** A PostgreSQL server, e.g. {@code jdbc:postgresql://db.internal:5432/james}. */
    public static DatabaseSettings postgresql(String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("unsupported JDBC URL '" + Secrets.mask(jdbcUrl)
                + "': only jdbc:postgresql:... is supported (leave the URL empty for the embedded database)");
        }
        return new DatabaseSettings(Optional.empty(), Optional.of(jdbcUrl), user, password, poolSize);
    }

    public Database.Dialect dialect() {
        return embeddedFile.isPresent() ? Database.Dialect.H2 : Database.Dialect.POSTGRESQL;
    }

    public Optional<Path> embeddedFile() {
        return embeddedFile;
    }

    public Optional<String> jdbcUrl() {
        return jdbcUrl;
    }

    public Optional<String> user() {
        return user;
    }

    public Optional<String> password() {
        return password;
    }

    public int poolSize() {
        return poolSize;
    }

    /** For logs and messages: never shows a password, neither the setting nor one written into the URL. */
    public String describe() {
        return embeddedFile.map(f -> "embedded database " + f + ".mv.db")
            .orElseGet(() -> "PostgreSQL " + Secrets.mask(jdbcUrl.get()) + user.map(u -> " as " + u).orElse(""));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DatabaseSettings)) {
            return false;
        }
        DatabaseSettings that = (DatabaseSettings) o;
        return poolSize == that.poolSize && embeddedFile.equals(that.embeddedFile) && jdbcUrl.equals(that.jdbcUrl)
            && user.equals(that.user) && password.equals(that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(embeddedFile, jdbcUrl, user, password, poolSize);
    }

    @Override
    public String toString() {
        return "DatabaseSettings{" + describe() + ", pool=" + poolSize + "}";
    }
}
