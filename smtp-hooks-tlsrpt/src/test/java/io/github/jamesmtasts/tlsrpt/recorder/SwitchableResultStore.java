package io.github.jamesmtasts.tlsrpt.recorder;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.DaySummary;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.store.SendClaim;
import io.github.jamesmtasts.tlsrpt.store.SendState;
import io.github.jamesmtasts.tlsrpt.store.StoreException;

/** A real store whose writes fail like an unreachable database while {@link #down} is set. */
final class SwitchableResultStore implements ResultStore {

    private final ResultStore delegate;
    private volatile boolean down;
    private final java.util.concurrent.Semaphore failedAdds = new java.util.concurrent.Semaphore(0);

    SwitchableResultStore(ResultStore delegate) {
        this.delegate = delegate;
    }

    void down(boolean down) {
        this.down = down;
    }

    /** Waits until {@code count} more writes have failed. */
    boolean awaitFailedAdds(int count) throws InterruptedException {
        return failedAdds.tryAcquire(count, 1, java.util.concurrent.TimeUnit.MINUTES);
    }

    @Override
    public void add(LocalDate day, Map<SessionResult, Long> increments) {
        if (down) {
            failedAdds.release();
            throw new StoreException("database error on the test database: connection refused");
        }
        delegate.add(day, increments);
    }

    @Override
    public List<String> policyDomains(LocalDate day) {
        return delegate.policyDomains(day);
    }

    @Override
    public List<PolicyAggregate> aggregates(LocalDate day, String policyDomain) {
        return delegate.aggregates(day, policyDomain);
    }

    @Override
    public Map<String, DaySummary> summaries(LocalDate day) {
        return delegate.summaries(day);
    }

    @Override
    public Optional<SendClaim> claim(LocalDate day, String policyDomain, String rua, String nodeId, Duration lease,
                                     Instant now) {
        return delegate.claim(day, policyDomain, rua, nodeId, lease, now);
    }

    @Override
    public boolean markSent(SendClaim claim, Instant now) {
        return delegate.markSent(claim, now);
    }

    @Override
    public boolean markFailed(SendClaim claim, Instant nextAttempt, String error) {
        return delegate.markFailed(claim, nextAttempt, error);
    }

    @Override
    public boolean giveUp(SendClaim claim, Instant now, String error) {
        return delegate.giveUp(claim, now, error);
    }

    @Override
    public List<SendState> sendStates(LocalDate day) {
        return delegate.sendStates(day);
    }

    @Override
    public long purgeBefore(LocalDate day) {
        return delegate.purgeBefore(day);
    }
}
