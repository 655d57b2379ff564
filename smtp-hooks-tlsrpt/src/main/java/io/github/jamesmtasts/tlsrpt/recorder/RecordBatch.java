package io.github.jamesmtasts.tlsrpt.recorder;

import java.time.LocalDate;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.jamesmtasts.tlsrpt.model.SessionResult;


/** Sessions counted during one flush period, and the stage their records get: completed once written. */
final class RecordBatch {

    @FunctionalInterface
    interface CountConsumer {
        void accept(LocalDate day, SessionResult result, long count);
    }

    private final ConcurrentHashMap<DayResult, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicInteger distinct = new AtomicInteger();
    private final CompletableFuture<Void> committed = new CompletableFuture<>();
    /** Shared by all records of the batch; callers cannot complete it. */
    private final CompletionStage<Void> stage = committed.minimalCompletionStage();

    /** A batch that counts nothing, for a record the recorder refuses: its stage has already failed. */
    static RecordBatch refused(RuntimeException why) {
        RecordBatch batch = new RecordBatch();
        batch.committed.completeExceptionally(why);
        return batch;
    }

    /** Thread-safe. @return the number of distinct keys when {@code key} is new, else 0 */
    int add(DayResult key) {
        LongAdder count = counts.get(key);
        if (count == null) {
            LongAdder created = new LongAdder();
            count = counts.putIfAbsent(key, created);
            if (count == null) {
                created.increment();
                return distinct.incrementAndGet();
            }
        }
        count.increment();
        return 0;
    }

    /** Only once no thread adds any more (after the swap). */
    void forEach(CountConsumer consumer) {
        counts.forEach((key, count) -> consumer.accept(key.day, key.result, count.sum()));
    }

    int distinctKeys() {
        return distinct.get();
    }

    CompletableFuture<Void> committed() {
        return committed;
    }

    CompletionStage<Void> stage() {
        return stage;
    }

    static final class DayResult {
        private final LocalDate day;
        private final SessionResult result;
        private final int hash;

        DayResult(LocalDate day, SessionResult result) {
            this.day = day;
            this.result = Objects.requireNonNull(result);
            this.hash = day.hashCode() * 31 + result.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof DayResult)) {
                return false;
            }
            DayResult that = (DayResult) o;
            return hash == that.hash && day.equals(that.day) && result.equals(that.result);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
