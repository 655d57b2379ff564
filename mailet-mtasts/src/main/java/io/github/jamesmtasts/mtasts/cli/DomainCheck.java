package io.github.jamesmtasts.mtasts.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

/**
 * Diagnoses one domain the way the public MTA-STS validators do, with the delivery's own parts: the TXT record
 * ({@link StsRecordDiscovery}), the policy ({@link PolicyFetcher}), the per-host decision ({@link MxCheck}) and the TLS
 * checks ({@link SmtpTlsProbe}), so that the report says what our delivery would do.
 */
public final class DomainCheck {

    private final StsRecordDiscovery discovery;
    private final PolicyFetcher fetcher;
    private final MxLookup mxLookup;
    private final SmtpTlsProbe probe;

    public DomainCheck(StsRecordDiscovery discovery, PolicyFetcher fetcher, MxLookup mxLookup, SmtpTlsProbe probe) {
        this.discovery = Objects.requireNonNull(discovery);
        this.fetcher = Objects.requireNonNull(fetcher);
        this.mxLookup = Objects.requireNonNull(mxLookup);
        this.probe = Objects.requireNonNull(probe);
    }

    public CheckReport check(DomainName name) {
        TxtRecordOutcome<StsRecord> record = discovery.discover(name);
        // RFC 8461 3.3: the policy is fetched only when a valid record announces one.
        Optional<FetchOutcome> fetch = record.kind() == TxtRecordOutcome.Kind.VALID
            ? Optional.of(fetcher.fetch(name)) : Optional.empty();
        String domain = name.asString();
        PolicyDecision decision = decision(domain, record, fetch);
        MxLookupResult hosts = mxLookup.lookup(domain);
        List<MxReport> reports = new ArrayList<>();
        for (MxHost host : hosts.hosts()) {
            reports.add(checkHost(decision, host));
        }
        return CheckReport.of(domain, record, fetch, hosts, reports, Verdict.judge(domain, record, fetch, reports));
    }

    /**
     * What a sender with an empty cache would decide now: the fetched policy; no policy when there is no valid record
     * or the fetch failed (RFC 8461 5: nothing cached, deliver as before); a temporary failure on a DNS error.
     */
    private static PolicyDecision decision(String domain, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch) {
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
        ProbeResult result = probeFirstReachable(name.get(), host);
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
    private ProbeResult probeFirstReachable(DomainName name, MxHost host) {
        ProbeResult first = null;
        for (InetAddress address : host.addresses()) {
            ProbeResult result = probe.probe(name, address);
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
