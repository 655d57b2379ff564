package io.github.jamesmtasts.tlsrpt.store;

import java.nio.file.Path;

/** {@link ResultStoreContract} on the embedded H2 file database in a temporary folder. */
class H2ResultStoreTest extends ResultStoreContract {

    @Override
    DatabaseSettings newDatabase(Path folder) {
        return h2(folder);
    }
}
