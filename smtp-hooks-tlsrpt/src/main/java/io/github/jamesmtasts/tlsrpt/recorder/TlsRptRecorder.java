package io.github.jamesmtasts.tlsrpt.recorder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What outbound delivery calls once per SMTP session and once per failed policy fetch
 * (RFC 8460 4.1). The day a result counts for is the recorder's UTC day at the time of the call.
 *
 * <p>Calls never block on storage: the returned stage completes once the result is durable
 * ("acknowledged"); a result whose stage completed survives a crash of the JVM. Callers on the
 * delivery path ignore the stage; tests and tools may wait on it.
 */
public interface TlsRptRecorder {

    CompletionStage<Void> record(SessionResult result);

    /** Records nothing; for deliveries that must not be reported, such as TLS-RPT report mails (RFC 8460 5.3). */
    TlsRptRecorder NOOP = result -> CompletableFuture.completedFuture(null);
}
