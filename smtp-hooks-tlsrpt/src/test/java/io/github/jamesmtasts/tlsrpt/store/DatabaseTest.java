package io.github.jamesmtasts.tlsrpt.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.github.jamesmtasts.tlsrpt.testing.SqlScript;

class DatabaseTest {

    @TempDir
    Path folder;

    @Test
    void openShouldNameTheFileAndWhatToDoWhenTheEmbeddedDatabaseIsDamaged() throws Exception {
        Path base = folder.resolve("james-mtasts");
        try (Database database = Database.open(DatabaseSettings.embedded(base))) {
            JdbcResultStore.open(database);
        }
        Path file = folder.resolve("james-mtasts.mv.db");
        byte[] garbage = new byte[(int) Files.size(file)];
        new Random(8460).nextBytes(garbage);
        Files.write(file, garbage);

        assertThatThrownBy(() -> Database.open(DatabaseSettings.embedded(base)))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("move the file aside or restore it from a backup");
        assertThat(Files.readAllBytes(file)).as("never replaced silently").isEqualTo(garbage);
    }

    @Test
    void openShouldNameTheServerAndWhatToCheckWhenPostgresqlIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/james";

        assertThatThrownBy(() -> Database.open(DatabaseSettings.postgresql(url, Optional.of("james"), Optional.of("s3cret"), 2)))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining(url + " as james")
            .hasMessageContaining("check the JDBC URL, user, password")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void inTransactionShouldRollBackEverythingWhenTheWorkThrows() {
        try (Database database = Database.open(DatabaseSettings.embedded(folder.resolve("tx")))) {
            SqlScript.run(database, List.of("CREATE TABLE IF NOT EXISTS t (n INT PRIMARY KEY)"));

            assertThatThrownBy(() -> database.inTransaction(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO t VALUES (1)");
                    statement.executeUpdate("INSERT INTO t VALUES (1)");
                }
                return null;
            })).isInstanceOf(StoreException.class).hasMessageContaining("embedded database " + folder.resolve("tx"));
            assertThatThrownBy(() -> database.inTransaction(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO t VALUES (2)");
                }
                throw new IllegalStateException("bug in the work");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(database.<Long>withConnection(connection -> {
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                    rs.next();
                    return rs.getLong(1);
                }
            })).isZero();
        }
    }

    @Test
    void settingsShouldRefuseOtherJdbcUrlsAndNeverShowThePassword() {
        assertThatThrownBy(() -> DatabaseSettings.postgresql("jdbc:mysql://db/james", Optional.empty(), Optional.empty(), 4))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql://db/james");
        assertThatThrownBy(() -> DatabaseSettings.postgresql("jdbc:postgresql://db/james", Optional.empty(), Optional.empty(), 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool size");

        DatabaseSettings settings = DatabaseSettings.postgresql("jdbc:postgresql://db/james", Optional.of("james"),
            Optional.of("s3cret"), 8);

        assertThat(settings.describe()).isEqualTo("PostgreSQL jdbc:postgresql://db/james as james");
        assertThat(settings.toString()).doesNotContain("s3cret");
        assertThat(settings.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
        assertThat(DatabaseSettings.embedded(folder.resolve("x")).describe())
            .isEqualTo("embedded database " + folder.resolve("x") + ".mv.db");
    }
}
