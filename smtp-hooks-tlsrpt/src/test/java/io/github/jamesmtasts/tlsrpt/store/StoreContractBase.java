package io.github.jamesmtasts.tlsrpt.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;

/** A fresh database per test, on the engine the subclass names; every node opened is closed afterwards. */
abstract class StoreContractBase {

    @TempDir
    Path folder;
    DatabaseSettings settings;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A new, empty database for one test. */
    abstract DatabaseSettings newDatabase(Path folder);

    static DatabaseSettings h2(Path folder) {
        return DatabaseSettings.embedded(folder.resolve("james-mtasts"));
    }

    static DatabaseSettings postgresql() {
        return DatabaseSettings.postgresql(TestPostgres.shared().createDatabase(),
            Optional.of(TestPostgres.shared().user()), Optional.empty(), 4);
    }

    @BeforeEach
    void createDatabase() {
        settings = newDatabase(folder);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    /** One node: its own connection pool on the shared database. */
    Database openNode() {
        Database database = Database.open(settings);
        opened.add(database);
        return database;
    }

    ResultStore openStore() {
        return JdbcResultStore.open(openNode());
    }

    static Map<SessionResult, Long> counts(Object... resultThenCount) {
        Map<SessionResult, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < resultThenCount.length; i += 2) {
            map.put((SessionResult) resultThenCount[i], ((Number) resultThenCount[i + 1]).longValue());
        }
        return map;
    }
}
