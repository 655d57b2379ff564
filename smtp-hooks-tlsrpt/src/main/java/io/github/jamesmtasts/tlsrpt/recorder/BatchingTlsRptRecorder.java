package io.github.jamesmtasts.tlsrpt.recorder;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.store.StoreException;

/**
 * Counts sessions in memory and writes the sums to a {@link ResultStore} from one writer thread, every
 * {@code flushInterval}, as soon as {@code maxPendingKeys} distinct results wait (design 6: UPSERT increments,
 * batched), or within {@code groupCommit} once a thread waits in {@link #recordDurably} (group commit: every thread
 * waiting meanwhile shares that one transaction). A record's stage completes when the batch holding it is
 * committed. A failed write keeps the counts and is retried at the next flush: counts are dropped only when the
 * recorder is closed while the store is down, and then their stages complete exceptionally and the loss is logged.
 * The counts kept meanwhile are bounded in distinct keys (issue 9): past {@link #MAX_UNWRITTEN_KEYS} new failure
 * details are folded, never dropped.
 */
public final class BatchingTlsRptRecorder implements TlsRptRecorder, AutoCloseable {

    /** Names the writer loop in logs, its failure metric and its {@code /healthcheck} component. */
    public static final String LOOP_NAME = "tlsrpt-recorder-writer";
    /**
     * The writer is unhealthy when no flush completed for three flush intervals, but never sooner than this: a
     * database that pauses for a few seconds is not worth an alarm, one that refuses writes for a minute is.
     */
    public static final Duration MIN_LIVENESS_BOUND = Duration.ofMinutes(1);

    /** Distinct (day, result) keys kept in memory for the next flush while the store fails; see {@link #flush()}. */
    public static final int MAX_UNWRITTEN_KEYS = 100_000;
    /** Past {@link #MAX_UNWRITTEN_KEYS}: distinct keys of folded details before they lose their MX and IPs too. */
    public static final int MAX_UNWRITTEN_OVERFLOW_KEYS = 1_000;

    private static final Logger LOGGER = LoggerFactory.getLogger(BatchingTlsRptRecorder.class);
    private static final long NO_REQUEST = Long.MAX_VALUE;

    private final ResultStore store;
    private final Clock clock;
    private final long flushIntervalNanos;
    private final int maxPendingKeys;
    private final long groupCommitNanos;
    private final long commitWaitNanos;
    /** {@link System#nanoTime()} by which a waiting thread asked for a flush, or {@link #NO_REQUEST}. */
    private final AtomicLong flushRequestedBy = new AtomicLong(NO_REQUEST);
    /** A batch reached maxPendingKeys: flush now, even while the store fails (the backlog is bounded at a flush). */
    private volatile boolean batchFull;
    /**
     * The last flush failed or a wait for a commit ran out: threads do not wait for commits until a flush succeeds,
     * so a database outage holds each delivery thread at most once for the commit wait.
     */
    private volatile boolean storeFailing;
    private final java.util.concurrent.atomic.LongAdder uncommittedWaits = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.AtomicBoolean warnedUncommitted = new java.util.concurrent.atomic.AtomicBoolean();
    /** Shared by record() calls, exclusive for swapping the current batch and for closing. */
    private final ReentrantReadWriteLock swapLock = new ReentrantReadWriteLock();
    private final Object flushLock = new Object();
    private final Thread writer;
    private final LoopLiveness liveness;
    private volatile RecordBatch current = new RecordBatch();
    private volatile boolean closed;
    /** Counts taken from batches but not committed yet, by day; guarded by flushLock. */
    private final Map<LocalDate, Map<SessionResult, Long>> unwritten = new TreeMap<>();
    /** Number of keys in {@link #unwritten}; written under flushLock, read without it by {@link #pendingKeys()}. */
    private volatile int unwrittenKeys;
    /** Guarded by flushLock. */
    private boolean warnedFolding;
    private final java.util.concurrent.atomic.AtomicLong foldedKeys = new java.util.concurrent.atomic.AtomicLong();
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private int failedFlushes;
    private final java.util.concurrent.atomic.AtomicBoolean warnedClosed = new java.util.concurrent.atomic.AtomicBoolean();

    private BatchingTlsRptRecorder(ResultStore store, Clock clock, RecorderSettings settings) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.flushIntervalNanos = settings.flushInterval().toNanos();
        this.maxPendingKeys = settings.maxPendingKeys();
        this.groupCommitNanos = settings.groupCommit().toNanos();
        this.commitWaitNanos = settings.commitWait().toNanos();
        this.writer = new Thread(this::writeLoop, LOOP_NAME);
        this.writer.setDaemon(true);
        Duration threeFlushes = settings.flushInterval().multipliedBy(3);
        this.liveness = LoopLiveness.of(LOOP_NAME, clock,
            threeFlushes.compareTo(MIN_LIVENESS_BOUND) > 0 ? threeFlushes : MIN_LIVENESS_BOUND);
    }

    /** Starts the writer thread. */
    public static BatchingTlsRptRecorder start(ResultStore store, Clock clock, RecorderSettings settings) {
        BatchingTlsRptRecorder recorder = new BatchingTlsRptRecorder(store, clock, settings);
        recorder.liveness.started();
        recorder.writer.start();
        return recorder;
    }

    /** Counts the result for the current UTC day of the clock (RFC 8460 4.4: reports cover UTC days). */
    @Override
    public CompletionStage<Void> record(SessionResult result) {
        return add(result).stage();
    }

    /**
     * Counts the result like {@link #record}, then waits until it is committed: the writer flushes within the group
     * commit interval, in one transaction for every thread waiting meanwhile. The wait is bounded by the commit wait;
     * while the store fails (last flush failed, or a wait ran out) it returns at once. Either way the result stays
     * counted and is written at the next successful flush; such returns are counted ({@link #uncommittedWaits()}).
     */
    @Override
    public boolean recordDurably(SessionResult result) {
        CompletableFuture<Void> committed = add(result).committed();
        if (committed.isDone()) {
            return !committed.isCompletedExceptionally();
        }
        if (commitWaitNanos == 0) {
            return false;
        }
        if (storeFailing) {
            return uncommitted("the TLS-RPT store is failing");
        }
        requestFlushBy(System.nanoTime() + groupCommitNanos);
        try {
            committed.get(commitWaitNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            storeFailing = true;
            return uncommitted("not committed within " + Duration.ofNanos(commitWaitNanos));
        } catch (ExecutionException e) {
            return uncommitted(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return uncommitted("interrupted");
        }
    }

    private boolean uncommitted(String why) {
        uncommittedWaits.increment();
        if (warnedUncommitted.compareAndSet(false, true)) {
            LOGGER.warn("TLS-RPT session records are not committed before delivery goes on ({}): they stay counted in "
                + "memory and are written once the store is back, but a crash meanwhile loses them", why);
        }
        return false;
    }

    /** Lowers the time by which the writer flushes to {@code deadline} (nanoTime) unless it is due sooner already. */
    private void requestFlushBy(long deadline) {
        long requested = flushRequestedBy.get();
        while (requested == NO_REQUEST || requested - deadline > 0) {
            if (flushRequestedBy.compareAndSet(requested, deadline)) {
                LockSupport.unpark(writer);
                return;
            }
            requested = flushRequestedBy.get();
        }
    }

    /** @return the batch now counting the result; a failed one when the recorder refuses it */
    private RecordBatch add(SessionResult result) {
        if (result.policy().policyDomain().length() > ResultStore.MAX_DOMAIN_LENGTH) {
            // Refused here: in a batch it would make every flush fail and hold back all other counts.
            return RecordBatch.refused(new IllegalArgumentException("policy domain longer than "
                + ResultStore.MAX_DOMAIN_LENGTH + " characters, not recorded: " + result.policy().policyDomain()));
        }
        RecordBatch.DayResult key = new RecordBatch.DayResult(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), result);
        RecordBatch batch;
        boolean full;
        ReentrantReadWriteLock.ReadLock lock = swapLock.readLock();
        lock.lock();
        try {
            if (closed) {
                if (warnedClosed.compareAndSet(false, true)) {
                    LOGGER.warn("TLS-RPT recorder is closed (James is stopping?): sessions from now on are not counted");
                }
                return RecordBatch.refused(new IllegalStateException("TLS-RPT recorder is closed; not recorded: " + result));
            }
            batch = current;
            full = batch.add(key) >= maxPendingKeys;
        } finally {
            lock.unlock();
        }
        if (full) {
            batchFull = true;
            LockSupport.unpark(writer);
        }
        return batch;
    }

    /**
     * Writes everything recorded so far (and anything a failed flush kept) in the caller's thread.
     *
     * @throws StoreException when the store fails; the counts are kept for the next flush
     */
    public void flush() {
        synchronized (flushLock) {
            RecordBatch batch = swap();
            batch.forEach(this::keep);
            waiting.add(batch.committed());
            Iterator<Map.Entry<LocalDate, Map<SessionResult, Long>>> days = unwritten.entrySet().iterator();
            while (days.hasNext()) {
                Map.Entry<LocalDate, Map<SessionResult, Long>> day = days.next();
                store.add(day.getKey(), day.getValue());
                unwrittenKeys -= day.getValue().size();
                days.remove();
            }
            warnedFolding = false;
            storeFailing = false;
            warnedUncommitted.set(false);
            // Every count taken so far is committed: each waiting record is acknowledged.
            waiting.forEach(f -> f.complete(null));
            waiting.clear();
        }
    }

    /** Adds a batch's count to the unwritten ones; guarded by flushLock. */
    private void keep(LocalDate day, SessionResult result, long count) {
        Map<SessionResult, Long> ofDay = unwritten.computeIfAbsent(day, d -> new HashMap<>());
        SessionResult key = bounded(day, ofDay, result);
        if (ofDay.merge(key, count, Long::sum) == count) {
            unwrittenKeys++;
        }
    }

    /**
     * Issue 9: while the store fails, a peer that changes its HELO name or reply text on every session would grow the
     * backlog by one key per session. Past {@link #MAX_UNWRITTEN_KEYS} a new failure is kept without the peer's text
     * (as the store does past its per-domain limit), past {@link #MAX_UNWRITTEN_OVERFLOW_KEYS} more with its result
     * type only: the session totals stay exact. Successes are never folded; their keys are bounded by the policies.
     */
    private SessionResult bounded(LocalDate day, Map<SessionResult, Long> ofDay, SessionResult result) {
        if (unwrittenKeys < MAX_UNWRITTEN_KEYS || result.failure().isEmpty() || ofDay.containsKey(result)) {
            return result;
        }
        foldedKeys.incrementAndGet();
        if (!warnedFolding) {
            warnedFolding = true;
            LOGGER.warn("TLS-RPT recorder holds {} distinct unwritten results (store failing?): new failure details "
                + "are kept without HELO name and reply text until the store is written (from {} on {})",
                unwrittenKeys, result.policy().policyDomain(), day);
        }
        SessionResult withoutText = SessionResult.failure(result.policy(), result.failure().get().withoutPeerText());
        if (unwrittenKeys < MAX_UNWRITTEN_KEYS + MAX_UNWRITTEN_OVERFLOW_KEYS || ofDay.containsKey(withoutText)) {
            return withoutText;
        }
        return SessionResult.failure(result.policy(), result.failure().get().resultTypeOnly());
    }

    private RecordBatch swap() {
        ReentrantReadWriteLock.WriteLock lock = swapLock.writeLock();
        lock.lock();
        try {
            RecordBatch full = current;
            current = new RecordBatch();
            return full;
        } finally {
            lock.unlock();
        }
    }

    /** The writer loop's liveness, for the health check. */
    public LoopLiveness liveness() {
        return liveness;
    }

    private void writeLoop() {
        try {
            long nextFlush = System.nanoTime() + flushIntervalNanos;
            while (!closed) {
                long due = nextFlush;
                long requested = flushRequestedBy.get();
                // While the store fails, waiting threads do not make the writer retry any sooner than every interval.
                if (requested != NO_REQUEST && !storeFailing && requested - due < 0) {
                    due = requested;
                }
                long wait = due - System.nanoTime();
                if (wait > 0 && !batchFull) {
                    LockSupport.parkNanos(this, wait);
                    continue;
                }
                if (closed) {
                    return;
                }
                // Cleared before the batch is swapped: a thread whose record misses this flush asks again after it.
                flushRequestedBy.set(NO_REQUEST);
                batchFull = false;
                writeOnce();
                nextFlush = System.nanoTime() + flushIntervalNanos;
            }
        } finally {
            if (!closed) {
                liveness.stopped("the writer thread ended unexpectedly; sessions are counted but no longer written");
            }
        }
    }

    /**
     * One flush of the writer loop. Never throws, not even an {@link Error} (design H1): the thread must outlive any
     * failure, and the counts stay in memory for the next flush. Logged on the first failure and every 60th after.
     */
    void writeOnce() {
        liveness.runStarted();
        try {
            flush();
            liveness.runCompleted();
            if (failedFlushes > 0) {
                LOGGER.info("TLS-RPT store writable again after {} failed flushes; all counts written", failedFlushes);
                failedFlushes = 0;
            }
        } catch (RuntimeException e) {
            storeFailing = true;
            failedFlushes++;
            liveness.runFailedQuietly(e);
            if (failedFlushes == 1 || failedFlushes % 60 == 0) {
                LOGGER.warn("TLS-RPT counters not written ({} attempts), kept in memory and retried: {}",
                    failedFlushes, e.getMessage(), e);
            }
        } catch (Throwable e) {
            storeFailing = true;
            failedFlushes++;
            if (failedFlushes == 1 || failedFlushes % 60 == 0) {
                liveness.runFailed(e);
            } else {
                liveness.runFailedQuietly(e);
            }
        }
    }

    /** Distinct results whose details were folded because the backlog was full (metric). */
    public long foldedKeys() {
        return foldedKeys.get();
    }

    /**
     * {@link #recordDurably} calls that returned before their record was committed (store failing, wait ran out)
     * (metric).
     */
    public long uncommittedWaits() {
        return uncommittedWaits.sum();
    }

    /**
     * Number of distinct (day, result) keys waiting to be written (metric). Does not wait for a running flush (a
     * metrics scrape must not hang on a slow database), so it may be off by the keys of the batch being swapped.
     */
    public int pendingKeys() {
        return current.distinctKeys() + unwrittenKeys;
    }

    /**
     * Stops the writer and writes what is left. When that fails, the unwritten counts are lost: their stages
     * complete exceptionally and the loss is logged with the counts.
     */
    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock lock = swapLock.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        liveness.stopped("the recorder was closed (James is stopping?)");
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            synchronized (flushLock) {
                long sessions = unwritten.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
                LOGGER.error("TLS-RPT recorder closed while the store is failing: {} recorded sessions are lost ({})",
                    sessions, unwritten, e);
                StoreException lost = new StoreException("TLS-RPT recorder closed before " + sessions
                    + " recorded sessions could be written: " + e.getMessage(), e);
                waiting.forEach(f -> f.completeExceptionally(lost));
                waiting.clear();
                unwritten.clear();
                unwrittenKeys = 0;
            }
        }
    }
}
