package io.github.jamesmtasts.mtasts.james;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import io.github.jamesmtasts.tlsrpt.james.LoopHealthCheck;
import io.github.jamesmtasts.tlsrpt.recorder.BatchingTlsRptRecorder;

/**
 * Health check {@code tlsrpt-recorder-writer} (design H1): the thread that writes TLS-RPT counters to the database.
 * Enabled in {@code conf/healthcheck.properties}, see {@link PolicyRefresherHealthCheck}.
 */
public class RecorderWriterHealthCheck implements HealthCheck {

    private final LoopHealthCheck check;

    @Inject
    public RecorderWriterHealthCheck(MtaStsResources resources) {
        this.check = LoopHealthCheck.of(BatchingTlsRptRecorder.LOOP_NAME, () -> Optional.of(resources.recorderLiveness()));
    }

    @Override
    public ComponentName componentName() {
        return check.componentName();
    }

    @Override
    public Publisher<Result> check() {
        return check.check();
    }
}
