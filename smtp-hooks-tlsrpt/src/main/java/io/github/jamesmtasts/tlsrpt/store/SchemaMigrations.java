package io.github.jamesmtasts.tlsrpt.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations (Flyway) of one part of the extension's database: the TLS-RPT counters or the MTA-STS
 * policy cache. Each part has its own history table and its own SQL files under
 * {@code db/<part>/common} and {@code db/<part>/<h2|postgresql>}, {@code V1} being the schema that versions before
 * migrations created with {@code CREATE TABLE IF NOT EXISTS}.
 *
 * <p>Nodes of a cluster that start together on one PostgreSQL database migrate one after the other: each holds a
 * PostgreSQL advisory lock around the whole check-and-migrate (Flyway's own lock does not cover creating its history
 * table, so two nodes could both try to baseline it), and the next one then finds the schema up to date. A database created before
 * migrations existed (its tables present, no history table) is recorded as version 1 without running V1 again, then
 * migrated on; its rows stay.
 */
public final class SchemaMigrations {

    private static final Logger LOGGER = LoggerFactory.getLogger(SchemaMigrations.class);
    /** pg_advisory_lock key of the migrations of every part ("MTASTS" in ASCII). */
    static final long LOCK_KEY = 0x4D54_4153_5453L;
    /** How long a starting node waits for another node's migration before it gives up. */
    static final String LOCK_TIMEOUT = "120s";
    /** The embedded database is one process's: a JVM lock serialises its migrations. */
    private static final Object EMBEDDED_LOCK = new Object();

    private final String part;
    private final String firstTable;

    /**
     * @param part       the folder under {@code db/} of this part's migrations, also naming its history table
     * @param firstTable a table that version 1 created: present without a history table means "created before
     *                   migrations", so version 1 is taken as applied
     */
    public SchemaMigrations(String part, String firstTable) {
        this.part = Objects.requireNonNull(part, "part");
        this.firstTable = Objects.requireNonNull(firstTable, "firstTable");
    }

    /**
     * Brings this part's schema to the latest version.
     *
     * @param classLoader loads the SQL files: the extension's own class loader inside James (a child of James's)
     * @throws StoreException naming the database and the failed migration
     */
    public void migrate(Database database, ClassLoader classLoader) {
        if (database.dialect() != Database.Dialect.POSTGRESQL) {
            synchronized (EMBEDDED_LOCK) {
                migrateLocked(database, classLoader);
            }
            return;
        }
        try (Connection lock = database.migrationDataSource().getConnection()) {
            try (Statement statement = lock.createStatement()) {
                statement.execute("SET lock_timeout = '" + LOCK_TIMEOUT + "'");
                statement.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            }
            try {
                migrateLocked(database, classLoader);
            } finally {
                try (Statement statement = lock.createStatement()) {
                    statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot migrate the " + part + " schema of the " + database.description()
                + ": waiting for other nodes' migrations (at most " + LOCK_TIMEOUT + ") failed: " + Secrets.mask(e.getMessage()), e);
        }
    }

    private void migrateLocked(Database database, ClassLoader classLoader) {
        String historyTable = historyTable();
        boolean createdBeforeMigrations = hasTable(database, firstTable) && !hasTable(database, historyTable);
        String dialect = database.dialect().name().toLowerCase(Locale.ROOT);
        Flyway flyway = Flyway.configure(classLoader)
            .dataSource(database.migrationDataSource())
            .table(historyTable)
            .locations("classpath:db/" + part + "/common", "classpath:db/" + part + "/" + dialect)
            .failOnMissingLocations(false)
            // The schema holds the other part's tables too, so "not empty" says nothing about this part: version 1
            // counts as applied only when its own first table is there (created before migrations), else V1 runs.
            .baselineOnMigrate(true)
            .baselineVersion(createdBeforeMigrations ? "1" : "0")
            .baselineDescription(createdBeforeMigrations ? "schema created before migrations" : "empty")
            .cleanDisabled(true)
            .load();
        try {
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0 || createdBeforeMigrations) {
                LOGGER.info("{} schema in the {}: {} migration(s) applied, now at version {}{}", part,
                    database.description(), result.migrationsExecuted, result.targetSchemaVersion,
                    createdBeforeMigrations ? " (existing tables of an earlier version kept)" : "");
            }
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the " + part + " schema of the " + database.description() + ": "
                + Secrets.mask(e.getMessage()) + " (the history is in table " + historyTable + ")", e);
        }
    }

    String historyTable() {
        return part + "_schema_history";
    }

    private static boolean hasTable(Database database, String table) {
        return database.withConnection(connection -> exists(connection, table));
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        // PostgreSQL folds unquoted names to lower case, H2 to upper case.
        for (String name : new String[] {table.toLowerCase(Locale.ROOT), table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet tables = meta.getTables(null, connection.getSchema(), name, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
