package io.github.jamesmtasts.tlsrpt.store;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A small JDBC connection pool on the embedded H2 file database or on PostgreSQL, shared by every store of the
 * extension. Data sources are built directly (not through {@code DriverManager}), which keeps working inside
 * James's extension class loader.
 */
public final class Database implements AutoCloseable {

    public enum Dialect {
        H2,
        POSTGRESQL
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Dialect dialect;
    private final HikariDataSource pool;
    private final String description;

    private Database(Dialect dialect, HikariDataSource pool, String description) {
        this.dialect = dialect;
        this.pool = pool;
        this.description = description;
    }

    /**
     * Opens (and for the embedded database, creates) the database.
     *
     * @throws StoreException naming the database and what to fix when it cannot be opened
     */
    public static Database open(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mtasts-" + settings.dialect().name().toLowerCase(java.util.Locale.ROOT));
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        config.setDataSource(dataSource(settings));
        // Fail at startup, not at the first delivery, when the database is unreachable or unreadable.
        config.setInitializationFailTimeout(10_000);
        try {
            return new Database(settings.dialect(), new HikariDataSource(config), settings.describe());
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the " + settings.describe() + ": " + rootMessage(e)
                + (settings.dialect() == Dialect.H2
                    ? " (check that the folder is writable and that no other process has the file open)"
                    : " (check the JDBC URL, user, password and that the server accepts connections)"), e);
        }
    }

    private static DataSource dataSource(DatabaseSettings settings) {
        if (settings.dialect() == Dialect.H2) {
            java.nio.file.Path file = settings.embeddedFile().get();
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
            } catch (IOException e) {
                throw new StoreException("cannot create the folder of the embedded database " + file + ": " + e.getMessage(), e);
            }
            JdbcDataSource h2 = new JdbcDataSource();
            // DB_CLOSE_DELAY=-1 keeps it open between pool connections; close() shuts it down explicitly.
            h2.setURL("jdbc:h2:file:" + file + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE");
            h2.setUser("sa");
            h2.setPassword("");
            return h2;
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(settings.jdbcUrl().get());
        settings.user().ifPresent(pg::setUser);
        settings.password().ifPresent(pg::setPassword);
        return pg;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database error on the " + description + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} with a connection in auto-commit mode. */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("database error on the " + description + ": " + e.getMessage(), e);
        }
    }

    /** Creates tables and indexes; every statement must be idempotent ({@code CREATE ... IF NOT EXISTS}). */
    public void createSchema(List<String> statements) {
        inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            return null;
        });
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (dialect == Dialect.H2) {
            // Compacts and closes the file cleanly; the pool would otherwise leave it to the JVM exit.
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                // Already closed or broken: closing the pool below is all that is left to do.
            }
        }
        pool.close();
    }
}
