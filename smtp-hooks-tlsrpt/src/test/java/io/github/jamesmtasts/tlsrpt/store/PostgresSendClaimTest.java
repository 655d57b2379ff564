package io.github.jamesmtasts.tlsrpt.store;

import java.nio.file.Path;

/** {@link SendClaimContract} on a real PostgreSQL on 127.0.0.1 (see TestPostgres). */
class PostgresSendClaimTest extends SendClaimContract {

    @Override
    DatabaseSettings newDatabase(Path folder) {
        return postgresql();
    }
}
