package io.github.jamesmtasts.tlsrpt.testing;

import java.sql.Statement;
import java.util.List;

import io.github.jamesmtasts.tlsrpt.store.Database;

/** Runs SQL statements in one transaction: for tests that set up an older schema before a migration. */
public final class SqlScript {

    private SqlScript() {
    }

    public static void run(Database database, List<String> statements) {
        database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            return null;
        });
    }
}
