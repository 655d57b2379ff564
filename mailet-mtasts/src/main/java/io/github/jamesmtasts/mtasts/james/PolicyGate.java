package io.github.jamesmtasts.mtasts.james;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.deliver.DaneOverride;
import io.github.jamesmtasts.mtasts.deliver.DomainOverride;
import io.github.jamesmtasts.mtasts.deliver.MailDecisions;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.MxCheck;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.Discovery;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** The per-mail (not per-host) MTA-STS questions of the delivery loop: decided once per delivery attempt. */
final class PolicyGate {

    enum Trigger {
        /** Retries are exhausted: re-check every MTA-STS domain of the mail. */
        RETRIES_EXHAUSTED,
        /** The server answered 5xx: re-check only under enforce, where a stale policy may be the cause. */
        PERMANENT_ERROR
    }

    /** The outcome of {@link #recheckBeforePermanentFailure}. */
    static final class Recheck {
        private final boolean changed;
        private final Optional<PolicyPending> pending;

        private Recheck(boolean changed, Optional<PolicyPending> pending) {
            this.changed = changed;
            this.pending = pending;
        }

        /** A policy changed: one more attempt is worth making. */
        boolean changed() {
            return changed;
        }

        /** H6: a re-check did not finish within the wait; the mail must not fail permanently before it does. */
        Optional<PolicyPending> pending() {
            return pending;
        }
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyGate.class);

    private final PolicyResolver resolver;
    private final MtaStsDeliverySettings settings;
    private final Collection<String> gateways;
    private final DeliveryMetrics metrics;
    private final MxRefusalTally refusals;
    private final Optional<DaneLookup> dane;

    PolicyGate(PolicyResolver resolver, MtaStsDeliverySettings settings, Collection<String> gateways,
               DeliveryMetrics metrics, MxRefusalTally refusals) {
        this(resolver, settings, gateways, metrics, refusals, Optional.empty());
    }

    /**
     * @param dane the DNSSEC-validating lookup; required when {@link MtaStsDeliverySettings#daneUsed()} (never fail
     *             open: without it a DANE domain's mail is deferred, see {@link #decide})
     */
    PolicyGate(PolicyResolver resolver, MtaStsDeliverySettings settings, Collection<String> gateways,
               DeliveryMetrics metrics, MxRefusalTally refusals, Optional<DaneLookup> dane) {
        this.resolver = resolver;
        this.settings = settings;
        this.gateways = List.copyOf(gateways);
        this.metrics = metrics;
        this.refusals = refusals;
        this.dane = dane;
        if (settings.daneUsed() && !this.gateways.isEmpty()) {
            LOGGER.warn("{} / {} do not apply with gateway delivery: RFC 7672 2.2.1 authenticates the MX hosts of the "
                + "recipient domain's secure MX RRset, which a smart host is not; MTA-STS applies to the gateways' "
                + "domains as before", MtaStsDeliverySettings.DANE, MtaStsDeliverySettings.DANE_OVERRIDES);
        }
    }

    /** A delivery attempt of {@code mail} over its MX hosts starts: tally how they are refused. */
    void attemptStarts(Mail mail) {
        refusals.begin(mail);
    }

    /**
     * Ends the attempt's tally.
     *
     * @return the enforce decision under which every MX host tried was refused by its mx patterns or by certificate
     *     failures ({@link MxRefusalTally}), if so
     */
    Optional<PolicyDecision> attemptEnds(Mail mail) {
        return refusals.end(mail);
    }

    /**
     * Every MX host of the mail's domain was refused under {@code refused}: the policy may be stale, so the resolver
     * refetches it under the unchanged id when its limits allow (docs/enforcement.md, "Stale policies"). A refetch
     * still running (H6), failing or finding the same policy changes nothing: the mail stays deferred as before,
     * never bounced for it.
     *
     * @return whether a changed policy is now in force, so that one more attempt at once is worth making
     */
    boolean healed(Mail mail, PolicyDecision refused) {
        DomainName domain = refused.domain();
        try {
            Discovery healed = resolver.healForDelivery(refused);
            if (healed.decision().isEmpty()) {
                LOGGER.info("MTA-STS: every MX of {} refused {}; the policy refetch is still running ({})", domain,
                    mail.getName(), healed.reason());
                return false;
            }
            PolicyDecision after = healed.decision().get();
            if (!differs(refused, after)) {
                return false;
            }
            LOGGER.info("MTA-STS policy of {} changed after every MX host refused {}: {} -> {}; trying again now", domain,
                mail.getName(), refused, after);
            metrics.healedRetry();
            return true;
        } catch (RuntimeException e) {
            LOGGER.error("MTA-STS refetch of the policy of {} failed; the cached policy stays in force", domain, e);
            return false;
        }
    }

    /**
     * Decide once per delivery attempt (RFC 8461 5): which of the mail's policy domains MTA-STS applies to, and their
     * decisions, handed to every MX host of the attempt through {@link MailDecisions#plan}.
     * Nothing cached and the lookup failed temporarily: defer rather than deliver without knowing. With gateways
     * each host is checked on its own for that (its verdict refuses it); the gateways' policy discoveries are still
     * awaited here. H6: a discovery that does not finish within the short wait defers the mail with
     * {@link PolicyPending}, while it goes on in the discovery pool.
     *
     * @throws MessagingException why the mail must wait ({@link PolicyPending} for a running discovery)
     */
    MailDecisions decide(Mail mail) throws MessagingException {
        if (!settings.enabled()) {
            return MailDecisions.notApplied();
        }
        TlsOptOut optOut = TlsOptOut.of(mail, settings);
        if (optOut.skipsMtaSts()) {
            // RFC 8460 5.3 / RFC 8689: delivered despite TLS problems and not recorded (a report on a report loops).
            return MailDecisions.optedOut(optOut == TlsOptOut.REPORT_MAIL ? "TLS-RPT report mail" : "TLS-Required: No");
        }
        if (optOut == TlsOptOut.HEADER_IGNORED) {
            LOGGER.info("Mail {} asks for {}: No, which {}={} does not honour for its origin (SMTP AUTH user: {}, "
                + "remote address: {}): MTA-STS applies", mail.getName(), settings.reportMailHeader(),
                MtaStsDeliverySettings.TLS_REQUIRED_HEADER, settings.tlsRequiredHeader().token(),
                mail.getAttribute(Mail.SMTP_AUTH_USER).isPresent() ? "yes" : "no", mail.getRemoteAddr());
        }
        Map<DomainName, PolicyDecision> decisions = new HashMap<>();
        Map<DomainName, DomainOverride> overrides = new HashMap<>();
        for (DomainName domain : policyDomains(mail)) {
            Optional<DomainOverride> override = settings.overrideFor(domain);
            override.ifPresent(o -> overrides.put(domain, o));
            if (override.equals(Optional.of(DomainOverride.DISABLE))) {
                continue;
            }
            Discovery discovery;
            try {
                discovery = resolver.resolveForDelivery(domain);
            } catch (RuntimeException e) {
                // Never fail open: without a decision the mail is retried.
                LOGGER.error("MTA-STS policy lookup of {} failed", domain, e);
                throw new MessagingException("MTA-STS policy lookup of " + domain + " failed: " + e);
            }
            if (discovery.decision().isEmpty()) {
                throw pending(domain, discovery);
            }
            PolicyDecision decision = discovery.decision().get();
            if (gateways.isEmpty() && decision.kind() == PolicyDecision.Kind.TEMPORARY_FAILURE) {
                throw new MessagingException("MTA-STS policy of " + domain + " temporarily unavailable: "
                    + decision.reason().orElse("unknown reason"));
            }
            decisions.put(domain, decision);
        }
        Map<DomainName, DaneDomain> daneDomains = new HashMap<>();
        Set<DomainName> daneRequired = new HashSet<>();
        for (DomainName domain : daneDomains(mail)) {
            DaneOverride mode = settings.daneFor(domain);
            if (mode == DaneOverride.REQUIRED) {
                daneRequired.add(domain);
            }
            daneDomains.put(domain, daneOf(domain));
        }
        return MailDecisions.of(decisions, overrides, daneDomains, daneRequired);
    }

    /**
     * RFC 7672 2.2.1: the DNSSEC-validated MX RRset of the recipient domain and each host's TLSA state, once per
     * delivery attempt. The lookup bounds its own waits (H6 spirit: a cold lookup holds this delivery thread at most
     * its query timeouts) and answers UNUSABLE for DNS trouble; anything it throws is UNUSABLE too (never fail open:
     * every MX of the domain is then refused, temporarily).
     */
    private DaneDomain daneOf(DomainName name) {
        DaneDomain found;
        try {
            found = dane.map(lookup -> lookup.lookup(name)).orElseGet(() -> DaneDomain.unusable(name,
                ResultType.DNSSEC_INVALID, "no DNSSEC-validating lookup is configured"));
        } catch (RuntimeException e) {
            LOGGER.error("DANE lookup of {} failed; its MX hosts are not used now", name, e);
            found = DaneDomain.unusable(name, ResultType.DNSSEC_INVALID, "lookup failed: " + e.getClass().getSimpleName());
        }
        if (found.kind() == DaneDomain.Kind.UNUSABLE) {
            metrics.daneLookupFailed();
            LOGGER.warn("DANE lookup of {} is unusable ({}): every MX host of it is refused for now", name,
                found.reason());
        }
        return found;
    }

    /**
     * The recipient domains DANE is on for. Not with gateways: RFC 7672 2.2.1 authenticates the hosts of the recipient
     * domain's secure MX RRset, and James does not connect to those when it relays through a smart host.
     */
    private List<DomainName> daneDomains(Mail mail) {
        if (!gateways.isEmpty() || !settings.daneUsed()) {
            return List.of();
        }
        return PolicyDomains.ofRecipients(mail).stream()
            .filter(d -> settings.daneFor(d) != DaneOverride.OFF)
            .collect(Collectors.toList());
    }

    private static PolicyPending pending(DomainName domain, Discovery discovery) {
        return new PolicyPending("MTA-STS policy of " + domain + " not known yet (" + discovery.reason() + ")",
            discovery.retryAfter());
    }

    /**
     * RFC 8461 5.1: before failing permanently, check the TXT id again and fetch a newer policy if there is one.
     * H6: a check that does not finish within the short wait is reported as pending.
     */
    Recheck recheckBeforePermanentFailure(Mail mail, Trigger trigger) {
        boolean changed = false;
        for (DomainName domain : applicableDomains(mail)) {
            try {
                Discovery current = resolver.resolveForDelivery(domain);
                if (current.decision().isEmpty()) {
                    return new Recheck(changed, Optional.of(pending(domain, current)));
                }
                PolicyDecision before = current.decision().get();
                Mode applied = MxCheck.appliedMode(before, settings.overrideFor(domain));
                if (trigger == Trigger.PERMANENT_ERROR && applied != Mode.ENFORCE) {
                    continue;
                }
                Discovery rechecked = resolver.recheckForDelivery(domain);
                if (rechecked.decision().isEmpty()) {
                    return new Recheck(changed, Optional.of(pending(domain, rechecked)));
                }
                PolicyDecision after = rechecked.decision().get();
                if (differs(before, after)) {
                    LOGGER.info("MTA-STS policy of {} changed before a permanent failure of {}: {} -> {}", domain,
                        mail.getName(), before, after);
                    metrics.recheckChanged();
                    changed = true;
                }
            } catch (RuntimeException e) {
                LOGGER.error("MTA-STS re-check of {} failed", domain, e);
            }
        }
        return new Recheck(changed, Optional.empty());
    }

    private static boolean differs(PolicyDecision before, PolicyDecision after) {
        return before.kind() != after.kind() || !before.policyId().equals(after.policyId())
            || !before.policy().equals(after.policy());
    }

    private List<DomainName> applicableDomains(Mail mail) {
        if (!settings.enabled() || TlsOptOut.of(mail, settings).skipsMtaSts()) {
            return List.of();
        }
        return policyDomains(mail).stream()
            .filter(d -> !settings.overrideFor(d).equals(Optional.of(DomainOverride.DISABLE)))
            .collect(Collectors.toList());
    }

    /** RFC 8461 3.4: the recipient domain, or each gateway's domain; the same names {@link PolicyDomains#forHost} gives. */
    private List<DomainName> policyDomains(Mail mail) {
        return gateways.isEmpty()
            ? PolicyDomains.ofRecipients(mail).stream().collect(Collectors.toList())
            : gateways.stream().map(g -> g.contains(":") ? g.substring(0, g.lastIndexOf(':')) : g)
                .map(PolicyDomains::ofName).flatMap(Optional::stream).distinct().collect(Collectors.toList());
    }
}
