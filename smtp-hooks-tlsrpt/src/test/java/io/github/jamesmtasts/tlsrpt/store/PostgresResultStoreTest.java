package io.github.jamesmtasts.tlsrpt.store;

import java.nio.file.Path;

/** {@link ResultStoreContract} on a real PostgreSQL on 127.0.0.1 (see TestPostgres). */
class PostgresResultStoreTest extends ResultStoreContract {

    @Override
    DatabaseSettings newDatabase(Path folder) {
        return postgresql();
    }
}
