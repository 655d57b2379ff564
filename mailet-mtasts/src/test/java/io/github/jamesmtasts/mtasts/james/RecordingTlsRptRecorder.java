package io.github.jamesmtasts.mtasts.james;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;

/** Keeps every recorded session result in memory, in call order. */
final class RecordingTlsRptRecorder implements TlsRptRecorder {

    private final List<SessionResult> results = new ArrayList<>();

    @Override
    public synchronized CompletionStage<Void> record(SessionResult result) {
        results.add(result);
        return CompletableFuture.completedFuture(null);
    }

    synchronized List<SessionResult> results() {
        return List.copyOf(results);
    }
}
