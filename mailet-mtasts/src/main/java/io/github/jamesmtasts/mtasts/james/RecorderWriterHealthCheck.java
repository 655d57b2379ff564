package io.github.jamesmtasts.mtasts.james;

import java.util.Optional;

import javax.inject.Inject;

import io.github.jamesmtasts.tlsrpt.james.LoopHealthCheck;
import io.github.jamesmtasts.tlsrpt.recorder.BatchingTlsRptRecorder;

/**
 * Health check {@code tlsrpt-recorder-writer} (design H1): the thread that writes TLS-RPT counters to the database.
 * Enabled in {@code conf/healthcheck.properties}, see {@link PolicyRefresherHealthCheck}.
 */
public class RecorderWriterHealthCheck extends LoopHealthCheck {

    @Inject
    public RecorderWriterHealthCheck(MtaStsResources resources) {
        super(BatchingTlsRptRecorder.LOOP_NAME, () -> Optional.of(resources.recorderLiveness()));
    }
}
