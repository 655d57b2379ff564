package io.github.jamesmtasts.tlsrpt.recorder;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link BatchingTlsRptRecorder} writes: the periodic flush, the flush a full batch triggers, and group commit,
 * the short flush that delivery threads waiting for their records share (issue 10 item 5).
 */
public final class RecorderSettings {

    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_PENDING_KEYS = 10_000;
    /**
     * A thread waiting for its record asks for a flush within this time; every record made meanwhile shares that one
     * transaction. Long enough to group a busy server's sessions, short against an SMTP session; 5 ms rather than
     * 20 ms since the delivery benchmark of 2026-12-06 (docs/benchmarks.md: throughput ratio 1.005 against 0.961 and
     * 0.998).
     */
    public static final Duration DEFAULT_GROUP_COMMIT = Duration.ofMillis(5);
    public static final Duration MAX_GROUP_COMMIT = Duration.ofSeconds(1);
    /**
     * The longest a delivery thread waits for its record to be committed; then the session stays counted in memory
     * (written at the next successful flush) and delivery goes on: a stalled delivery is worse than a record a crash
     * could lose.
     */
    public static final Duration DEFAULT_COMMIT_WAIT = Duration.ofSeconds(2);
    public static final Duration MAX_COMMIT_WAIT = Duration.ofMinutes(1);

    private static final RecorderSettings DEFAULTS = new RecorderSettings(DEFAULT_FLUSH_INTERVAL,
        DEFAULT_MAX_PENDING_KEYS, DEFAULT_GROUP_COMMIT, DEFAULT_COMMIT_WAIT);

    private final Duration flushInterval;
    private final int maxPendingKeys;
    private final Duration groupCommit;
    private final Duration commitWait;

    private RecorderSettings(Duration flushInterval, int maxPendingKeys, Duration groupCommit, Duration commitWait) {
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flush interval must be positive, was " + flushInterval);
        }
        if (maxPendingKeys < 1) {
            throw new IllegalArgumentException("max pending keys must be at least 1, was " + maxPendingKeys);
        }
        if (groupCommit.isNegative() || groupCommit.compareTo(MAX_GROUP_COMMIT) > 0) {
            throw new IllegalArgumentException("group commit must be from 0 to " + MAX_GROUP_COMMIT + ", was " + groupCommit);
        }
        if (commitWait.isNegative() || commitWait.compareTo(MAX_COMMIT_WAIT) > 0) {
            throw new IllegalArgumentException("commit wait must be from 0 to " + MAX_COMMIT_WAIT + ", was " + commitWait);
        }
        this.flushInterval = flushInterval;
        this.maxPendingKeys = maxPendingKeys;
        this.groupCommit = groupCommit;
        this.commitWait = commitWait;
    }

    public static RecorderSettings defaults() {
        return DEFAULTS;
    }

    public RecorderSettings withFlushInterval(Duration flushInterval) {
        return new RecorderSettings(flushInterval, maxPendingKeys, groupCommit, commitWait);
    }

    public RecorderSettings withMaxPendingKeys(int maxPendingKeys) {
        return new RecorderSettings(flushInterval, maxPendingKeys, groupCommit, commitWait);
    }

    /** @param groupCommit 0 flushes as soon as a thread waits (and the previous flush is done) */
    public RecorderSettings withGroupCommit(Duration groupCommit) {
        return new RecorderSettings(flushInterval, maxPendingKeys, groupCommit, commitWait);
    }

    /** @param commitWait 0: delivery never waits for its records (a crash may lose the last flush interval) */
    public RecorderSettings withCommitWait(Duration commitWait) {
        return new RecorderSettings(flushInterval, maxPendingKeys, groupCommit, commitWait);
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public int maxPendingKeys() {
        return maxPendingKeys;
    }

    public Duration groupCommit() {
        return groupCommit;
    }

    public Duration commitWait() {
        return commitWait;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RecorderSettings)) {
            return false;
        }
        RecorderSettings that = (RecorderSettings) o;
        return maxPendingKeys == that.maxPendingKeys && flushInterval.equals(that.flushInterval)
            && groupCommit.equals(that.groupCommit) && commitWait.equals(that.commitWait);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flushInterval, maxPendingKeys, groupCommit, commitWait);
    }

    @Override
    public String toString() {
        return "RecorderSettings{flushInterval=" + flushInterval + ", maxPendingKeys=" + maxPendingKeys
            + ", groupCommit=" + groupCommit + ", commitWait=" + commitWait + "}";
    }
}
