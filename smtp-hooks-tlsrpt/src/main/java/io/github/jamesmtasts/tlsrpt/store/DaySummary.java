package io.github.jamesmtasts.tlsrpt.store;

/**
 * One policy domain's session counts for one UTC day, summed over every policy and failure: what an operator
 * sees in WebAdmin ({@code total-successful-session-count} and {@code total-failure-session-count} of RFC 8460 4.4).
 */
public final class DaySummary {

    private final long successes;
    private final long failures;

    private DaySummary(long successes, long failures) {
        if (successes < 0 || failures < 0) {
            throw new IllegalArgumentException("session counts cannot be negative: " + successes + ", " + failures);
        }
        this.successes = successes;
        this.failures = failures;
    }

    public static DaySummary of(long successes, long failures) {
        return new DaySummary(successes, failures);
    }

    public long successes() {
        return successes;
    }

    public long failures() {
        return failures;
    }

    public long total() {
        return successes + failures;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DaySummary)) {
            return false;
        }
        DaySummary that = (DaySummary) o;
        return successes == that.successes && failures == that.failures;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(successes) * 31 + Long.hashCode(failures);
    }

    @Override
    public String toString() {
        return "DaySummary{ok=" + successes + " failed=" + failures + "}";
    }
}
