package io.github.jamesmtasts.tlsrpt.send;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The body of a collector's answer, which RFC 8460 5.4 gives no meaning: read and dropped, at most
 * {@code maxBytes} of it (then the stream is cancelled), and cancellable from outside when the sender's deadline
 * passes, so that a collector trickling its body cannot hold the sender (design H5). Remembers the status code, which
 * arrives before the body. One instance per request.
 */
final class DiscardedResponseBody implements HttpResponse.BodyHandler<Void> {

    private final long maxBytes;
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private volatile boolean cancelled;
    private volatile int status = -1;

    DiscardedResponseBody(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The status code, once the status line and headers have arrived. */
    OptionalInt status() {
        int s = status;
        return s < 0 ? OptionalInt.empty() : OptionalInt.of(s);
    }

    /** Stops reading the body; the HTTP client then closes the connection. */
    void cancel() {
        cancelled = true;
        Flow.Subscription current = subscription.get();
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
        status = info.statusCode();
        return new Discarding();
    }

    private final class Discarding implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> body = new CompletableFuture<>();
        private long received;

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            // cancel() may have run before the subscription existed.
            if (cancelled) {
                s.cancel();
                body.complete(null);
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                received += buffer.remaining();
            }
            if (received > maxBytes) {
                subscription.get().cancel();
                body.complete(null);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(null);
        }
    }
}
