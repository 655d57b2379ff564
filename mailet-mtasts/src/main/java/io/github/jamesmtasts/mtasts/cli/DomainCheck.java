package io.github.jamesmtasts.mtasts.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.deliver.HostVerdict;
import io.github.jamesmtasts.mtasts.deliver.MxCheck;
import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.mtasts.discover.StsRecordDiscovery;
import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.fetch.PolicyFetcher;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * Diagnoses one domain the way the public MTA-STS validators do, with the delivery's own parts: the TXT record
 * ({@link StsRecordDiscovery}), the policy ({@link PolicyFetcher}), the per-host decision ({@link MxCheck}) and the TLS
 * checks ({@link SmtpTlsProbe}), so that the report says what our delivery would do.
 *
 * <p>With a {@link DaneLookup} it also says what DANE (RFC 7672) decides: the domain's DNSSEC state, and per MX host
 * its DANE state. A host under DANE is judged by DANE alone (RFC 8461 2: DANE first where it applies, the MTA-STS
 * policy for the other hosts).
 */
public final class DomainCheck {

    private final StsRecordDiscovery discovery;
    private final PolicyFetcher fetcher;
    private final MxLookup mxLookup;
    private final SmtpTlsProbe probe;
    private final Optional<DaneLookup> daneLookup;

    public DomainCheck(StsRecordDiscovery discovery, PolicyFetcher fetcher, MxLookup mxLookup, SmtpTlsProbe probe) {
        this(discovery, fetcher, mxLookup, probe, Optional.empty());
    }

    /** @param daneLookup the DNSSEC-validated DANE lookups; empty to check MTA-STS only */
    public DomainCheck(StsRecordDiscovery discovery, PolicyFetcher fetcher, MxLookup mxLookup, SmtpTlsProbe probe,
                       Optional<DaneLookup> daneLookup) {
        this.discovery = Objects.requireNonNull(discovery);
        this.fetcher = Objects.requireNonNull(fetcher);
        this.mxLookup = Objects.requireNonNull(mxLookup);
        this.probe = Objects.requireNonNull(probe);
        this.daneLookup = Objects.requireNonNull(daneLookup);
    }

    public CheckReport check(DomainName name) {
        TxtRecordOutcome<StsRecord> record = discovery.discover(name);
        // RFC 8461 3.3: the policy is fetched only when a valid record announces one.
        Optional<FetchOutcome> fetch = record.kind() == TxtRecordOutcome.Kind.VALID
            ? Optional.of(fetcher.fetch(name)) : Optional.empty();
        String domain = name.asString();
        PolicyDecision decision = decision(name, record, fetch);
        Optional<DaneDomain> dane = daneLookup.map(lookup -> lookup.lookup(name));
        MxLookupResult hosts = mxLookup.lookup(domain);
        List<MxReport> reports = new ArrayList<>();
        for (MxHost host : hosts.hosts()) {
            Optional<MxDane> hostDane = dane.flatMap(d -> hostState(d, host.host()));
            MxReport report = hostDane.filter(d -> d.kind() != MxDane.Kind.NOT_APPLICABLE).isPresent()
                ? checkDaneHost(decision, host, dane.get(), hostDane.get()) : checkHost(decision, host);
            reports.add(hostDane.map(report::withDane).orElse(report));
        }
        return CheckReport.of(domain, record, fetch, hosts, reports, dane,
            Verdict.judge(domain, record, fetch, reports, dane));
    }

    /**
     * The DANE state of one MX host of the domain. RFC 7672 2.2.1: a bogus or failed MX lookup leaves no host usable;
     * with a secure MX RRset a host that is not in it (the check's own, unvalidated, MX answer differs) is unusable
     * too: its name was not authenticated. Such a host has no {@link MxDane#failure()}: delivery records no session
     * for it (no RFC 8460 result type fits), it only logs the refusal.
     */
    static Optional<MxDane> hostState(DaneDomain dane, String host) {
        Optional<DomainName> name = DomainName.of(host);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        switch (dane.kind()) {
            case UNUSABLE:
                return Optional.of(MxDane.unusable(name.get(), dane.failure().orElse(ResultType.DNSSEC_INVALID),
                    dane.reason()));
            case SECURE:
                return Optional.of(dane.host(name.get()).orElseGet(() -> MxDane.unusable(name.get(),
                    ResultType.DNSSEC_INVALID, host + " is not in the DNSSEC-validated MX RRset of " + dane.domain()
                        + " " + dane.hosts().keySet())));
            case NOT_APPLICABLE:
            default:
                return Optional.of(MxDane.notApplicable(name.get(), dane.reason()));
        }
    }

    /**
     * RFC 7672 2.2, 3 and RFC 8461 2: a host with a secure TLSA RRset is judged by DANE only (STARTTLS, TLS 1.2+, the
     * certificate matching a usable TLSA record, or no certificate check without usable records); an unusable host is
     * not used now (RFC 7672 2.1.1). The MTA-STS pattern match is still shown.
     */
    private MxReport checkDaneHost(PolicyDecision decision, MxHost host, DaneDomain domain, MxDane dane) {
        Optional<Boolean> matches = decision.policy().filter(p -> !p.mx().isEmpty()).map(p -> p.matchesMx(dane.mxHost()));
        boolean unusable = dane.kind() == MxDane.Kind.UNUSABLE;
        boolean outsideSecureSet = domain.kind() == DaneDomain.Kind.SECURE && domain.host(dane.mxHost()).isEmpty();
        Optional<Classification> recorded = unusable && !outsideSecureSet ? dane.failure().map(Classification::of)
            : Optional.empty();
        if (unusable) {
            // Not probed: DANE senders do not connect to the host now, and its problem is in DNS, not in TLS.
            return MxReport.of(host.host(), host.preference(), matches, Optional.empty(), recorded, false,
                Optional.of(daneUnusable(dane)));
        }
        if (host.addresses().isEmpty()) {
            return MxReport.of(host.host(), host.preference(), matches, Optional.empty(), Optional.empty(), false,
                host.addressError());
        }
        ProbeResult result = probeFirstReachable(dane.mxHost(), host, Optional.of(dane));
        return MxReport.of(host.host(), host.preference(), matches, Optional.of(result), result.failure(),
            result.kind() == ProbeResult.Kind.TLS_OK, result.detail());
    }

    private static String daneUnusable(MxDane dane) {
        return "DANE: " + dane.reason() + "; DANE senders do not use " + dane.mxHost() + " until this is fixed";
    }

    /**
     * What a sender with an empty cache would decide now: the fetched policy; no policy when there is no valid record
     * or the fetch failed (RFC 8461 5: nothing cached, deliver as before); a temporary failure on a DNS error.
     */
    private static PolicyDecision decision(DomainName domain, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch) {
        if (record.kind() == TxtRecordOutcome.Kind.DNS_ERROR) {
            return PolicyDecision.temporaryFailure(domain, record.reason().orElse("TXT lookup failed"));
        }
        Optional<StsPolicy> policy = fetch.flatMap(FetchOutcome::policy);
        if (policy.isPresent()) {
            return PolicyDecision.policy(domain, record.record().get().id(), policy.get());
        }
        return PolicyDecision.noPolicy(domain);
    }

    private MxReport checkHost(PolicyDecision decision, MxHost host) {
        // Shown whenever the domain published mx patterns, even under testing or none, so that they can be fixed.
        Optional<DomainName> name = DomainName.of(host.host());
        Optional<Boolean> matches = decision.policy().filter(p -> !p.mx().isEmpty())
            .map(p -> name.map(p::matchesMx).orElse(false));
        HostVerdict verdict = MxCheck.check(decision, Optional.empty(), host.host());
        if (name.isEmpty()) {
            // No certificate can name a host name that is none (an address literal, a single label): nothing to probe.
            return MxReport.of(host.host(), host.preference(), matches, Optional.empty(), verdict.failure(), false,
                DomainName.parse(host.host()).problem());
        }
        if (host.addresses().isEmpty()) {
            // Without an address there is no session, so nothing would be recorded for it.
            return MxReport.of(host.host(), host.preference(), matches, Optional.empty(), Optional.empty(), false,
                host.addressError());
        }
        // The TLS checks run even for hosts delivery would refuse, to show everything that needs fixing at once.
        ProbeResult result = probeFirstReachable(name.get(), host, Optional.empty());
        boolean policyUnknown = decision.kind() == PolicyDecision.Kind.TEMPORARY_FAILURE;
        if (!policyUnknown && (verdict.kind() == HostVerdict.Kind.REFUSE || verdict.failure().isPresent())) {
            return MxReport.of(host.host(), host.preference(), matches, Optional.of(result), verdict.failure(), false,
                Optional.of(verdict.reason()));
        }
        Optional<Classification> failure = result.failure();
        boolean success = result.kind() == ProbeResult.Kind.TLS_OK;
        // A policy that is temporarily unavailable says nothing about the host: its own probe result is reported,
        // with why senders defer mail for now.
        return MxReport.of(host.host(), host.preference(), matches, Optional.of(result), failure, success,
            policyUnknown ? Optional.of(verdict.reason() + result.detail().map(d -> "; " + d).orElse(""))
                : result.detail());
    }

    /** Like a sender, tries the host's addresses in order until one answers. */
    private ProbeResult probeFirstReachable(DomainName name, MxHost host, Optional<MxDane> dane) {
        ProbeResult first = null;
        for (InetAddress address : host.addresses()) {
            ProbeResult result = probe.probe(name, address, dane);
            if (result.kind() != ProbeResult.Kind.UNREACHABLE) {
                return result;
            }
            if (first == null) {
                first = result;
            }
        }
        return first;
    }
}
