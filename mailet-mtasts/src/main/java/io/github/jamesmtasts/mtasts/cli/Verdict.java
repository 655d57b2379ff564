package io.github.jamesmtasts.mtasts.cli;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;

import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;

/**
 * Whether mail to a domain is deliverable under its MTA-STS policy, and why; decides the exit status of
 * {@code mta-sts check}. Pure.
 */
public final class Verdict {

    private final boolean deliverable;
    private final String reason;

    private Verdict(boolean deliverable, String reason) {
        this.deliverable = deliverable;
        this.reason = Objects.requireNonNull(reason);
    }

    public static Verdict of(boolean deliverable, String reason) {
        return new Verdict(deliverable, reason);
    }

    /**
     * DANE first (RFC 8461 2, RFC 7672 2.2): deliverable when a host under DANE passes its DANE checks; not deliverable
     * when the domain's MX lookup is unusable (RFC 7672 2.2.1: DANE senders defer) or every host is under DANE and
     * none passes; otherwise the hosts without DANE are judged under MTA-STS as by {@link #judge(String,
     * TxtRecordOutcome, Optional, List)}.
     *
     * @param dane empty, or NOT_APPLICABLE: the MTA-STS verdict alone
     */
    public static Verdict judge(String domain, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch,
                                List<MxReport> mx, Optional<DaneDomain> dane) {
        if (dane.isEmpty() || dane.get().kind() == DaneDomain.Kind.NOT_APPLICABLE) {
            return judge(domain, record, fetch, mx);
        }
        if (dane.get().kind() == DaneDomain.Kind.UNUSABLE) {
            return of(false, "DANE: the DNSSEC lookup of the MX hosts of " + domain + " failed ("
                + dane.get().reason() + "): DANE senders defer mail to " + domain + " until it validates");
        }
        Optional<MxReport> passing = mx.stream().filter(m -> m.underDane() && m.success()).findFirst();
        if (passing.isPresent()) {
            return of(true, "DANE: " + passing.get().host() + (passing.get().tlsaMatch().orElse(false)
                ? " presents a certificate that matches its TLSA records"
                : " offers STARTTLS (its TLSA records are all unusable: encryption without authentication)"));
        }
        List<MxReport> withoutDane = mx.stream().filter(m -> !m.underDane()).collect(Collectors.toList());
        if (withoutDane.isEmpty()) {
            return of(false, "DANE: no MX host of " + domain + " passes its DANE checks (STARTTLS, TLS 1.2+, a"
                + " certificate matching its TLSA records): mail to " + domain + " will be deferred");
        }
        Verdict others = judge(domain, record, fetch, withoutDane);
        return of(others.deliverable, "no MX host under DANE passes; the MX hosts without TLSA records: "
            + others.reason);
    }

    /**
     * Deliverable: no policy published (RFC 8461 5: deliver as before), {@code mode: none}, {@code testing} (RFC 8461
     * 5: deliver as usual, failures are only reported), or {@code enforce} with at least one MX host that matches the
     * policy and passes the TLS checks (RFC 8461 4.1, 4.2). Everything else is not.
     *
     * <p>SPEC: an invalid or duplicated TXT record is "no policy" for a sender (RFC 8461 3.1), but it is a publishing
     * error that leaves senders on whatever policy they cached, so the check fails it. Likewise a valid record whose
     * policy cannot be fetched or parsed fails (senders record {@code sts-policy-*} failures and keep an old policy),
     * and a TXT lookup failure fails (senders defer mail).
     */
    public static Verdict judge(String domain, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch, List<MxReport> mx) {
        switch (record.kind()) {
            case ABSENT:
                return of(true, domain + " publishes no MTA-STS policy: mail is delivered as before");
            case DNS_ERROR:
                return of(false, "_mta-sts." + domain + " could not be looked up, so MTA-STS senders without a cached"
                    + " policy defer mail to " + domain + " (" + record.reason().orElse("DNS failure") + ")");
            case INVALID:
            case MULTIPLE:
                return of(false, "fix the TXT record _mta-sts." + domain + ": " + record.reason().orElse("invalid"));
            case VALID:
            default:
                break;
        }
        FetchOutcome outcome = fetch.orElseThrow(() -> new IllegalArgumentException("valid record without fetch"));
        if (!outcome.isSuccess()) {
            return of(false, "the policy of " + domain + " cannot be used ("
                + outcome.failureType().get().token() + "): " + outcome.failureMessage().orElse(""));
        }
        StsPolicy policy = outcome.policy().get();
        if (policy.mode() == Mode.NONE) {
            return of(true, domain + " publishes mode none: no MTA-STS checks apply");
        }
        if (policy.mode() == Mode.TESTING) {
            return of(true, domain + " is in testing mode: mail is delivered as usual, failures are only reported");
        }
        Optional<MxReport> usable = mx.stream().filter(m -> m.matchesPolicy().orElse(false) && m.success()).findFirst();
        if (usable.isPresent()) {
            return of(true, "enforce: " + usable.get().host() + " matches the policy and passes the TLS checks");
        }
        return of(false, "enforce: no MX host of " + domain + " both matches the policy mx patterns " + policy.mx()
            + " and passes STARTTLS with a valid certificate: mail to " + domain + " will be deferred");
    }

    public boolean deliverable() {
        return deliverable;
    }

    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Verdict)) {
            return false;
        }
        Verdict that = (Verdict) o;
        return deliverable == that.deliverable && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deliverable, reason);
    }

    @Override
    public String toString() {
        return (deliverable ? "deliverable: " : "NOT deliverable: ") + reason;
    }
}
