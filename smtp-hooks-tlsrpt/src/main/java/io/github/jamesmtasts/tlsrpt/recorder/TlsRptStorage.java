package io.github.jamesmtasts.tlsrpt.recorder;

import java.time.Clock;
import java.util.Objects;

import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.store.StoreException;

/**
 * The TLS-RPT store and its batching recorder, opened and closed together; what the Guice wiring binds as
 * {@link ResultStore} and {@link TlsRptRecorder}. Lives on a database shared with other stores (the MTA-STS policy
 * cache): closing writes the last counts; the caller closes the database afterwards.
 */
public final class TlsRptStorage implements AutoCloseable {

    private final JdbcResultStore store;
    private final BatchingTlsRptRecorder recorder;

    private TlsRptStorage(JdbcResultStore store, BatchingTlsRptRecorder recorder) {
        this.store = store;
        this.recorder = recorder;
    }

    /**
     * Creates or migrates the tables and starts the recorder.
     *
     * @throws StoreException naming the database and what to fix when its tables cannot be created
     */
    public static TlsRptStorage on(Database database, Clock clock, RecorderSettings recorderSettings) {
        Objects.requireNonNull(clock);
        JdbcResultStore store = JdbcResultStore.open(database);
        return new TlsRptStorage(store, BatchingTlsRptRecorder.start(store, clock, recorderSettings));
    }

    public JdbcResultStore store() {
        return store;
    }

    public BatchingTlsRptRecorder recorder() {
        return recorder;
    }

    /** Writes the last counts and stops the recorder; the database stays open. */
    @Override
    public void close() {
        recorder.close();
    }
}
