package io.github.jamesmtasts.tlsrpt.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;
import io.github.jamesmtasts.tlsrpt.testing.SqlScript;

/** Versioned migrations of the TLS-RPT tables: new databases, and databases created before migrations existed. */
class SchemaMigrationsTest {

    @TempDir
    Path folder;

    static Stream<String> engines() {
        return Stream.of("H2", "PostgreSQL");
    }

    private Database open(String engine) {
        if ("H2".equals(engine)) {
            return Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        }
        return Database.open(DatabaseSettings.postgresql(TestPostgres.shared().createDatabase(),
            Optional.of(TestPostgres.shared().user()), Optional.empty(), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void databaseCreatedBeforeMigrationsShouldBeRecognisedAndKeepItsRows(String engine) {
        try (Database database = open(engine)) {
            SqlScript.run(database, LegacyTlsRptSchema.SCHEMA);
            update(database, "INSERT INTO tlsrpt_counter VALUES (DATE '2026-01-01', 'a.test', 'p', 'f', 41)");
            update(database, "INSERT INTO tlsrpt_send (report_day, policy_domain, rua_hash, rua, attempts, first_attempt,"
                + " last_attempt, sent_at) VALUES (DATE '2026-01-01', 'a.test', 'r', 'mailto:tlsrpt@a.test', 1, 5, 5, 6)");

            JdbcResultStore.open(database);
            JdbcResultStore.open(database);

            assertThat(number(database, "SELECT session_count FROM tlsrpt_counter")).isEqualTo(41);
            assertThat(number(database, "SELECT sent_at FROM tlsrpt_send")).isEqualTo(6);
            assertThat(history(database)).containsExactly("1 schema created before migrations");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void newDatabaseShouldGetExactlyTheSchemaOfEarlierVersions(String engine) {
        List<String> legacy;
        try (Database database = open(engine)) {
            SqlScript.run(database, LegacyTlsRptSchema.SCHEMA);
            legacy = columns(database);
        }
        if ("H2".equals(engine)) {
            folder = folder.resolve("second");
        }
        try (Database database = open(engine)) {
            JdbcResultStore.open(database);

            assertThat(columns(database)).isEqualTo(legacy);
            assertThat(history(database)).containsExactly("1 tlsrpt tables");
        }
    }

    private static void update(Database database, String sql) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.executeUpdate(sql);
            }
        });
    }

    private static long number(Database database, String sql) {
        return database.withConnection(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /** Applied versions (baseline rows included; Flyway's markers of an empty schema left out), as "version description". */
    static List<String> history(Database database) {
        return database.withConnection(connection -> {
            List<String> applied = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT \"version\", \"description\", \"success\" FROM"
                     + " \"tlsrpt_schema_history\" ORDER BY \"installed_rank\"")) {
                while (rows.next()) {
                    if (rows.getString(1) != null && !"0".equals(rows.getString(1))) {
                        assertThat(rows.getBoolean(3)).isTrue();
                        applied.add(rows.getString(1) + " " + rows.getString(2));
                    }
                }
            }
            return applied;
        });
    }

    /** Every column of the TLS-RPT tables: table, name, type, size, nullability, in order. */
    private static List<String> columns(Database database) {
        return database.withConnection(connection -> {
            List<String> columns = new ArrayList<>();
            for (String table : List.of("tlsrpt_policy", "tlsrpt_failure", "tlsrpt_counter", "tlsrpt_send")) {
                columns.addAll(columns(connection, table));
            }
            columns.add("keys " + primaryKeys(connection));
            return columns;
        });
    }

    private static List<String> columns(Connection connection, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rows = meta.getColumns(null, connection.getSchema(), name, null)) {
                while (rows.next()) {
                    columns.add(table + "." + rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + " "
                        + rows.getString("TYPE_NAME") + "(" + rows.getInt("COLUMN_SIZE") + ") "
                        + rows.getString("IS_NULLABLE"));
                }
            }
        }
        return columns;
    }

    private static List<String> primaryKeys(Connection connection) throws SQLException {
        List<String> keys = new ArrayList<>();
        DatabaseMetaData meta = connection.getMetaData();
        for (String table : List.of("tlsrpt_policy", "tlsrpt_failure", "tlsrpt_counter", "tlsrpt_send")) {
            for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
                try (ResultSet rows = meta.getPrimaryKeys(null, connection.getSchema(), name)) {
                    while (rows.next()) {
                        keys.add(table + "." + rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + "@"
                            + rows.getShort("KEY_SEQ"));
                    }
                }
            }
        }
        return keys;
    }
}
