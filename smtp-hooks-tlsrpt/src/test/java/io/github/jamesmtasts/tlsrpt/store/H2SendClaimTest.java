package io.github.jamesmtasts.tlsrpt.store;

import java.nio.file.Path;

/** {@link SendClaimContract} on the embedded H2 file database in a temporary folder. */
class H2SendClaimTest extends SendClaimContract {

    @Override
    DatabaseSettings newDatabase(Path folder) {
        return h2(folder);
    }
}
