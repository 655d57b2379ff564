package io.github.jamesmtasts.mtasts.cache;

import java.nio.file.Path;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;

/** The two real engines the policy store runs on: embedded H2 in a test folder, and the test PostgreSQL server. */
final class StoreEngines {

    static final String H2 = "H2";
    static final String POSTGRESQL = "PostgreSQL";

    private StoreEngines() {
    }

    /** A fresh, empty database of {@code engine}. */
    static Database open(String engine, Path folder) {
        if (H2.equals(engine)) {
            return Database.open(DatabaseSettings.embedded(folder.resolve("mtasts")));
        }
        return openPostgres(TestPostgres.shared().createDatabase());
    }

    /** Another connection pool (another "node") on the same PostgreSQL database. */
    static Database openPostgres(String jdbcUrl) {
        return Database.open(DatabaseSettings.postgresql(jdbcUrl, Optional.of(TestPostgres.shared().user()),
            Optional.empty(), 2));
    }
}
