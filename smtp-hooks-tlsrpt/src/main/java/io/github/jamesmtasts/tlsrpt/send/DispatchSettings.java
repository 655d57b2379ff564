package io.github.jamesmtasts.tlsrpt.send;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import javax.mail.internet.InternetAddress;

import io.github.jamesmtasts.tlsrpt.dkim.DkimReportSigner;
import io.github.jamesmtasts.tlsrpt.report.ReportIdentity;

/** Who sends reports and how destinations are claimed and retried; configured once per node. */
public final class DispatchSettings {

    /**
     * How long a node holds one destination's claim. It must outlast the worst case of one send (see
     * {@link #checkLease}): 10 minutes against the default 60 s HTTPS deadline.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);
    /**
     * A lease must be at least this many times the HTTPS deadline: one claim covers resolving the collector's name,
     * the HTTPS exchange (bounded by the deadline) and two store writes, so the deadline alone is not the worst case.
     */
    public static final int LEASE_TO_DEADLINE_FACTOR = 2;
    /** Design H5: a record listing more rua destinations gets reports at its first five only (configurable). */
    public static final int DEFAULT_MAX_DESTINATIONS = 5;

    private final ReportIdentity identity;
    private final InternetAddress from;
    private final String nodeId;
    private final Duration lease;
    private final RetrySchedule retrySchedule;
    private final int maxDestinations;
    private final Optional<DkimReportSigner> dkim;

    private DispatchSettings(ReportIdentity identity, InternetAddress from, String nodeId, Duration lease,
                             RetrySchedule retrySchedule, int maxDestinations, Optional<DkimReportSigner> dkim) {
        this.dkim = Objects.requireNonNull(dkim);
        this.identity = Objects.requireNonNull(identity);
        this.from = Objects.requireNonNull(from);
        this.nodeId = Objects.requireNonNull(nodeId);
        this.lease = Objects.requireNonNull(lease);
        this.retrySchedule = Objects.requireNonNull(retrySchedule);
        this.maxDestinations = maxDestinations;
        if (maxDestinations < 1) {
            throw new IllegalArgumentException("at least one rua destination per domain must be allowed, got "
                + maxDestinations);
        }
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("the node id must not be empty");
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the claim lease must be positive, got " + lease);
        }
    }

    /**
     * @param from the report mails' From address (RFC 8460 5.3: DKIM-signed by the submitter domain)
     * @param nodeId names this node in claims, unique in the cluster (e.g. the host name)
     */
    public static DispatchSettings of(ReportIdentity identity, InternetAddress from, String nodeId, Duration lease,
                                      RetrySchedule retrySchedule) {
        return new DispatchSettings(identity, from, nodeId, lease, retrySchedule, DEFAULT_MAX_DESTINATIONS,
            Optional.empty());
    }

    /** These settings, sending to at most {@code max} rua destinations of each report domain. */
    public DispatchSettings withMaxDestinations(int max) {
        return new DispatchSettings(identity, from, nodeId, lease, retrySchedule, max, dkim);
    }

    /** These settings with report mails DKIM-signed by {@code signer} (RFC 8460 3). */
    public DispatchSettings withDkim(DkimReportSigner signer) {
        return new DispatchSettings(identity, from, nodeId, lease, retrySchedule, maxDestinations, Optional.of(signer));
    }

    /** Who signs report mails; empty only when the administrator opted out of signing. */
    public Optional<DkimReportSigner> dkim() {
        return dkim;
    }

    /**
     * Checks that a claim outlives the send it covers, so that a live sender never loses its claim to another node
     * (which would send the report twice): {@code lease >= LEASE_TO_DEADLINE_FACTOR x httpsDeadline}.
     *
     * @throws IllegalArgumentException naming both values and the smallest lease that works
     */
    public static void checkLease(Duration lease, Duration httpsDeadline) {
        Duration minimum = httpsDeadline.multipliedBy(LEASE_TO_DEADLINE_FACTOR);
        if (lease.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("the claim lease " + lease + " is shorter than the worst case of one"
                + " send (" + LEASE_TO_DEADLINE_FACTOR + " x the HTTPS deadline " + httpsDeadline + "): set the lease to"
                + " at least " + minimum + " or lower the HTTPS deadline");
        }
    }

    public ReportIdentity identity() {
        return identity;
    }

    public InternetAddress from() {
        return from;
    }

    public String nodeId() {
        return nodeId;
    }

    public Duration lease() {
        return lease;
    }

    public RetrySchedule retrySchedule() {
        return retrySchedule;
    }

    public int maxDestinations() {
        return maxDestinations;
    }
}
