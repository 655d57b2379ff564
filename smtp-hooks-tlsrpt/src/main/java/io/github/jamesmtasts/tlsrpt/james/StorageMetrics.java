package io.github.jamesmtasts.tlsrpt.james;

import org.apache.james.metrics.api.GaugeRegistry;

import io.github.jamesmtasts.tlsrpt.recorder.BatchingTlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptStorage;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;

/**
 * Publishes what the TLS-RPT store and its recorder count themselves as James gauges: sums since James started
 * ({@code ..._rejected_rows}, {@code ..._folded_*}, {@code ..._uncommitted_waits}) and the current backlog
 * ({@code tlsrpt_recorder_pending_keys}). Gauges read the counts when scraped, so recording costs nothing extra.
 */
public final class StorageMetrics {

    /** Counter rows the database refused and that were dropped (H4). */
    public static final String STORE_REJECTED_ROWS = "tlsrpt_store_rejected_rows";
    /** Sessions counted without HELO name and reply text because their domain had too many failure rows that day. */
    public static final String STORE_FOLDED_SESSIONS = "tlsrpt_store_folded_sessions";
    /** Distinct (day, result) keys waiting in memory for the next write. */
    public static final String RECORDER_PENDING_KEYS = "tlsrpt_recorder_pending_keys";
    /** Results whose details were folded because the unwritten backlog was full (store failing). */
    public static final String RECORDER_FOLDED_KEYS = "tlsrpt_recorder_folded_keys";
    /** Deliveries that went on before their session record was committed (store failing, commit wait ran out). */
    public static final String RECORDER_UNCOMMITTED_WAITS = "tlsrpt_recorder_uncommitted_waits";

    private StorageMetrics() {
    }

    public static void register(TlsRptStorage storage, GaugeRegistry gauges) {
        JdbcResultStore store = storage.store();
        BatchingTlsRptRecorder recorder = storage.recorder();
        gauges.register(STORE_REJECTED_ROWS, store::rejectedRows)
            .register(STORE_FOLDED_SESSIONS, store::foldedSessions)
            .register(RECORDER_PENDING_KEYS, recorder::pendingKeys)
            .register(RECORDER_FOLDED_KEYS, recorder::foldedKeys)
            .register(RECORDER_UNCOMMITTED_WAITS, recorder::uncommittedWaits);
    }
}
