package io.github.jamesmtasts.tlsrpt.recorder;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.store.StoreException;

/**
 * The TLS-RPT store and its batching recorder, opened and closed together; what the Guice wiring binds as
 * {@link ResultStore} and {@link TlsRptRecorder}. Closing writes the last
 * counts, then closes the database when this object opened it.
 */
public final class TlsRptStorage implements AutoCloseable {

    private final Optional<Database> ownedDatabase;
    private final JdbcResultStore store;
    private final BatchingTlsRptRecorder recorder;

    private TlsRptStorage(Optional<Database> ownedDatabase, JdbcResultStore store, BatchingTlsRptRecorder recorder) {
        this.ownedDatabase = ownedDatabase;
        this.store = store;
        this.recorder = recorder;
    }

    /**
     * Opens its own database.
     *
     * @throws StoreException naming the database and what to fix when it cannot be opened
     */
    public static TlsRptStorage open(DatabaseSettings settings, Clock clock) {
        Database database = Database.open(settings);
        try {
            return create(Optional.of(database), database, clock, RecorderSettings.defaults());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** On a database shared with other stores (e.g. the MTA-STS policy cache); the caller closes the database. */
    public static TlsRptStorage on(Database database, Clock clock, RecorderSettings recorderSettings) {
        return create(Optional.empty(), database, clock, recorderSettings);
    }

    private static TlsRptStorage create(Optional<Database> owned, Database database, Clock clock,
                                        RecorderSettings recorderSettings) {
        Objects.requireNonNull(clock);
        JdbcResultStore store = JdbcResultStore.open(database);
        return new TlsRptStorage(owned, store, BatchingTlsRptRecorder.start(store, clock, recorderSettings));
    }

    public JdbcResultStore store() {
        return store;
    }

    public BatchingTlsRptRecorder recorder() {
        return recorder;
    }

    @Override
    public void close() {
        try {
            recorder.close();
        } finally {
            ownedDatabase.ifPresent(Database::close);
        }
    }
}
