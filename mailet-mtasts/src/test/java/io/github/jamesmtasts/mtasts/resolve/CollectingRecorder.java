package io.github.jamesmtasts.mtasts.resolve;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;

/** Keeps every recorded result, in call order. */
public final class CollectingRecorder implements TlsRptRecorder {

    private final List<SessionResult> results = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Void> record(SessionResult result) {
        results.add(result);
        return CompletableFuture.completedFuture(null);
    }

    public List<SessionResult> results() {
        return List.copyOf(results);
    }
}
