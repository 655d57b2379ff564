package io.github.jamesmtasts.tlsrpt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void createdDatabaseShouldAcceptSqlOnLoopback() throws Exception {
        String url = TestPostgres.shared().createDatabase();

        assertThat(url).startsWith("jdbc:postgresql://127.0.0.1:");
        try (Connection connection = DriverManager.getConnection(url, TestPostgres.shared().user(), "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (n INT PRIMARY KEY)");
            statement.execute("INSERT INTO t VALUES (1) ON CONFLICT (n) DO NOTHING");
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
