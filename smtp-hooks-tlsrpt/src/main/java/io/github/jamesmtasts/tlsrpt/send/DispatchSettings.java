package io.github.jamesmtasts.tlsrpt.send;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import javax.mail.internet.InternetAddress;

import io.github.jamesmtasts.tlsrpt.dkim.DkimReportSigner;
import io.github.jamesmtasts.tlsrpt.report.ReportIdentity;

/** Who sends reports and how destinations are claimed and retried; configured once per node. */
public final class DispatchSettings {

    /** Longer than the HTTPS timeout plus a mail submission, so a live holder never loses its claim. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);

    private final ReportIdentity identity;
    private final InternetAddress from;
    private final String nodeId;
    private final Duration lease;
    private final RetrySchedule retrySchedule;
    private final Optional<DkimReportSigner> dkim;

    private DispatchSettings(ReportIdentity identity, InternetAddress from, String nodeId, Duration lease,
                             RetrySchedule retrySchedule, Optional<DkimReportSigner> dkim) {
        this.dkim = Objects.requireNonNull(dkim);
        this.identity = Objects.requireNonNull(identity);
        this.from = Objects.requireNonNull(from);
        this.nodeId = Objects.requireNonNull(nodeId);
        this.lease = Objects.requireNonNull(lease);
        this.retrySchedule = Objects.requireNonNull(retrySchedule);
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
        return new DispatchSettings(identity, from, nodeId, lease, retrySchedule, Optional.empty());
    }

    /** These settings with report mails DKIM-signed by {@code signer} (RFC 8460 3). */
    public DispatchSettings withDkim(DkimReportSigner signer) {
        return new DispatchSettings(identity, from, nodeId, lease, retrySchedule, Optional.of(signer));
    }

    /** Who signs report mails; empty only when the administrator opted out of signing. */
    public Optional<DkimReportSigner> dkim() {
        return dkim;
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
}
