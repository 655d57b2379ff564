package io.github.jamesmtasts.tlsrpt.store;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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
    private final DataSource unpooled;
    private final String description;

    private Database(Dialect dialect, HikariDataSource pool, DataSource unpooled, String description) {
        this.dialect = dialect;
        this.pool = pool;
        this.unpooled = unpooled;
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
        DataSource unpooled = dataSource(settings);
        config.setDataSource(unpooled);
        // Fail at startup, not at the first delivery, when the database is unreachable or unreadable; a network
        // database gets 10 s to come up, a local file either opens at once or never will.
        config.setInitializationFailTimeout(settings.dialect() == Dialect.H2 ? 1 : 10_000);
        try {
            return new Database(settings.dialect(), new HikariDataSource(config), unpooled, settings.describe());
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the " + settings.describe() + ": " + Secrets.mask(rootMessage(e))
                + (settings.dialect() == Dialect.H2
                    ? h2Advice(e)
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
            h2.setURL(h2Url(file));
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

    /**
     * DB_CLOSE_DELAY=-1 keeps the database open between pool connections; close() shuts it down explicitly.
     * WRITE_DELAY=0: H2's MVStore otherwise writes committed transactions to the file up to 500 ms later (its
     * default), so a killed JVM would lose records that were already acknowledged (design 6). With 0, every commit
     * writes its changes to the file before returning (TransactionStore.endTransaction commits the store when the
     * auto-commit delay is 0); the operating system keeps them even if the JVM is killed. Commits are batched by the
     * recorder, so this costs one write per flush, not per session.
     * LOCK_TIMEOUT: H2's default of 1 s is too short for a claim waiting on a busy writer on a loaded machine.
     */
    static String h2Url(java.nio.file.Path file) {
        return "jdbc:h2:file:" + file + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }

    /** What an operator should do about an embedded database that does not open, by H2 error code. */
    private static String h2Advice(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                int code = ((SQLException) t).getErrorCode();
                if (code == org.h2.api.ErrorCode.FILE_CORRUPTED_1 || code == org.h2.api.ErrorCode.FILE_VERSION_ERROR_1) {
                    return " (the file is damaged or not an H2 2.x database: stop James, move the file aside or restore it"
                        + " from a backup, then start again; a new empty database is created in its place)";
                }
                if (code == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    return " (another process has the file open: stop it, or give each James instance its own file,"
                        + " or point every node at PostgreSQL)";
                }
            }
        }
        return " (check that the folder is writable and that no other process has the file open)";
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

    /**
     * Connections for schema migrations: Flyway holds one connection for its lock while it migrates on others, more
     * than a small PostgreSQL pool may have, so PostgreSQL gets connections outside the pool. The embedded database
     * keeps to its pool (of {@link DatabaseSettings#DEFAULT_POOL_SIZE}), so that closing the pool closes the file.
     */
    DataSource migrationDataSource() {
        return dialect == Dialect.POSTGRESQL ? unpooled : pool;
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
                // A broken connection cannot roll back either: keep the original error, not the rollback's.
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
            // The pool restores auto-commit when the connection is returned.
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private StoreException failure(SQLException e) {
        return new StoreException("database error on the " + description + ": " + Secrets.mask(e.getMessage())
            + (dialect == Dialect.H2 && isDamaged(e) ? h2Advice(e) : ""), e);
    }

    private static boolean isDamaged(SQLException e) {
        return e.getErrorCode() == org.h2.api.ErrorCode.FILE_CORRUPTED_1
            || e.getErrorCode() == org.h2.api.ErrorCode.FILE_VERSION_ERROR_1;
    }

    /** Runs {@code work} with a connection in auto-commit mode. */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
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
