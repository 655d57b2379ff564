package io.github.jamesmtasts.tlsrpt.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/** Where the sending of one day's report for one policy domain to one {@code rua} stands; for operators. */
public final class SendState {

    public enum Status {
        /** A node holds (or held, see {@link #leaseUntil()}) a claim and has not reported back. */
        CLAIMED,
        /** The last attempt failed; the next one is due at {@link #nextAttempt()}. */
        RETRY_WAITING,
        SENT,
        /** RFC 8460 5.5: retries stopped. */
        GAVE_UP
    }

    private final LocalDate day;
    private final String policyDomain;
    private final String rua;
    private final Status status;
    private final Optional<String> lastNode;
    private final int attempts;
    private final Instant firstAttempt;
    private final Instant lastAttempt;
    private final Optional<Instant> leaseUntil;
    private final Optional<Instant> nextAttempt;
    private final Optional<String> lastError;
    private final Optional<Instant> finishedAt;

    private SendState(Builder b) {
        this.day = Objects.requireNonNull(b.day);
        this.policyDomain = Objects.requireNonNull(b.policyDomain);
        this.rua = Objects.requireNonNull(b.rua);
        this.status = Objects.requireNonNull(b.status);
        this.lastNode = b.lastNode;
        this.attempts = b.attempts;
        this.firstAttempt = Objects.requireNonNull(b.firstAttempt);
        this.lastAttempt = Objects.requireNonNull(b.lastAttempt);
        this.leaseUntil = b.leaseUntil;
        this.nextAttempt = b.nextAttempt;
        this.lastError = b.lastError;
        this.finishedAt = b.finishedAt;
    }

    public static Builder builder(LocalDate day, String policyDomain, String rua, Status status) {
        return new Builder(day, policyDomain, rua, status);
    }

    public LocalDate day() {
        return day;
    }

    public String policyDomain() {
        return policyDomain;
    }

    public String rua() {
        return rua;
    }

    public Status status() {
        return status;
    }

    /** The node that took the latest claim. */
    public Optional<String> lastNode() {
        return lastNode;
    }

    public int attempts() {
        return attempts;
    }

    public Instant firstAttempt() {
        return firstAttempt;
    }

    public Instant lastAttempt() {
        return lastAttempt;
    }

    /** Present while {@link Status#CLAIMED}; a lease in the past means the holder crashed and any node may take over. */
    public Optional<Instant> leaseUntil() {
        return leaseUntil;
    }

    public Optional<Instant> nextAttempt() {
        return nextAttempt;
    }

    public Optional<String> lastError() {
        return lastError;
    }

    /** When it was sent or given up. */
    public Optional<Instant> finishedAt() {
        return finishedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SendState)) {
            return false;
        }
        SendState that = (SendState) o;
        return attempts == that.attempts && day.equals(that.day) && policyDomain.equals(that.policyDomain)
            && rua.equals(that.rua) && status == that.status && lastNode.equals(that.lastNode)
            && firstAttempt.equals(that.firstAttempt) && lastAttempt.equals(that.lastAttempt)
            && leaseUntil.equals(that.leaseUntil) && nextAttempt.equals(that.nextAttempt)
            && lastError.equals(that.lastError) && finishedAt.equals(that.finishedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(day, policyDomain, rua, status, lastNode, attempts, firstAttempt, lastAttempt, leaseUntil,
            nextAttempt, lastError, finishedAt);
    }

    @Override
    public String toString() {
        return "SendState{" + day + " " + policyDomain + " " + rua + " " + status + " attempts=" + attempts
            + lastError.map(e -> " error=" + e).orElse("") + "}";
    }

    public static final class Builder {
        private final LocalDate day;
        private final String policyDomain;
        private final String rua;
        private final Status status;
        private Optional<String> lastNode = Optional.empty();
        private int attempts;
        private Instant firstAttempt;
        private Instant lastAttempt;
        private Optional<Instant> leaseUntil = Optional.empty();
        private Optional<Instant> nextAttempt = Optional.empty();
        private Optional<String> lastError = Optional.empty();
        private Optional<Instant> finishedAt = Optional.empty();

        private Builder(LocalDate day, String policyDomain, String rua, Status status) {
            this.day = day;
            this.policyDomain = policyDomain;
            this.rua = rua;
            this.status = status;
        }

        public Builder attempts(int attempts, Instant first, Instant last) {
            this.attempts = attempts;
            this.firstAttempt = first;
            this.lastAttempt = last;
            return this;
        }

        public Builder lastNode(Optional<String> node) {
            this.lastNode = node;
            return this;
        }

        public Builder leaseUntil(Optional<Instant> lease) {
            this.leaseUntil = lease;
            return this;
        }

        public Builder nextAttempt(Optional<Instant> next) {
            this.nextAttempt = next;
            return this;
        }

        public Builder lastError(Optional<String> error) {
            this.lastError = error;
            return this;
        }

        public Builder finishedAt(Optional<Instant> finished) {
            this.finishedAt = finished;
            return this;
        }

        public SendState build() {
            return new SendState(this);
        }
    }
}
