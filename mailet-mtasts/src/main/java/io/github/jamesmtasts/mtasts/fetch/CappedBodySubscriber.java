package io.github.jamesmtasts.mtasts.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects a response body up to a byte cap while it streams, for both Content-Length and chunked bodies. One byte
 * over the cap cancels the download and fails with {@link TooLargeException}: RFC 8461 3.3 policies larger than the
 * cap are rejected, never truncated. A subscriber created with {@link #discarding()} cancels at once, so that error
 * pages (3xx, 404, wrong media type) are never downloaded.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

    /** The body exceeded the cap. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long cap) {
            super("body larger than " + cap + " bytes");
        }
    }

    private final long cap;
    private final boolean discard;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private long received;

    private CappedBodySubscriber(long cap, boolean discard) {
        this.cap = cap;
        this.discard = discard;
    }

    static CappedBodySubscriber capped(long cap) {
        return new CappedBodySubscriber(cap, false);
    }

    static CappedBodySubscriber discarding() {
        return new CappedBodySubscriber(0, true);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
        if (!subscription.compareAndSet(null, value)) {
            value.cancel();
            return;
        }
        if (discard) {
            value.cancel();
            result.complete(new byte[0]);
            return;
        }
        value.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
            if (received > cap) {
                subscription.get().cancel();
                result.completeExceptionally(new TooLargeException(cap));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            body.write(chunk, 0, chunk.length);
        }
        subscription.get().request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(body.toByteArray());
    }

    /** Stops the download (overall deadline passed); safe to call at any time, from any thread. */
    void abort() {
        Flow.Subscription current = subscription.get();
        if (current != null) {
            current.cancel();
        }
    }
}
