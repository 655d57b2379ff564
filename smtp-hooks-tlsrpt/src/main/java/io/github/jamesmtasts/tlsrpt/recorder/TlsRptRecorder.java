package io.github.jamesmtasts.tlsrpt.recorder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.jamesmtasts.tlsrpt.model.SessionResult;


/**
 * What outbound delivery calls once per SMTP session and once per failed policy fetch
 * (RFC 8460 4.1). The day a result counts for is the recorder's UTC day at the time of the call.
 *
 * <p>{@link #record} never blocks on storage: the returned stage completes once the result is durable
 * ("acknowledged"); a result whose stage completed survives a crash of the JVM. The delivery path calls
 * {@link #recordDurably} instead, so that no session it goes on from can be lost by a crash (issue 10 item 5).
 */
public interface TlsRptRecorder {

    CompletionStage<Void> record(SessionResult result);

    /**
     * Records and waits, for a bounded time, until the result is committed. Implementations that batch let every
     * waiting thread share one short flush (group commit) rather than each opening its own transaction.
     *
     * @return true once the result is durable; false when the recorder refused it or the bounded wait ended first (the
     *     result is then still counted and written later, unless the JVM dies before)
     */
    default boolean recordDurably(SessionResult result) {
        CompletableFuture<Void> committed = record(result).toCompletableFuture();
        return committed.isDone() && !committed.isCompletedExceptionally();
    }

    /** Records nothing; for deliveries that must not be reported, such as TLS-RPT report mails (RFC 8460 5.3). */
    TlsRptRecorder NOOP = result -> CompletableFuture.completedFuture(null);
}
