package io.github.jamesmtasts.mtasts.james;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.deliver.DomainOverride;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.MxCheck;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;

/** The per-mail (not per-host) MTA-STS questions of the delivery loop. */
final class PolicyGate {

    enum Trigger {
        /** Retries are exhausted: re-check every MTA-STS domain of the mail. */
        RETRIES_EXHAUSTED,
        /** The server answered 5xx: re-check only under enforce, where a stale policy may be the cause. */
        PERMANENT_ERROR
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyGate.class);

    private final PolicyResolver resolver;
    private final MtaStsDeliverySettings settings;
    private final Collection<String> gateways;
    private final DeliveryMetrics metrics;

    PolicyGate(PolicyResolver resolver, MtaStsDeliverySettings settings, Collection<String> gateways,
               DeliveryMetrics metrics) {
        this.resolver = resolver;
        this.settings = settings;
        this.gateways = List.copyOf(gateways);
        this.metrics = metrics;
    }

    /**
     * RFC 8461 5: nothing cached and the lookup failed temporarily - defer rather than deliver without knowing.
     * Only for mails queued per recipient domain; with gateways each host is checked on its own.
     *
     * @return why the mail must wait, or empty to go on
     */
    Optional<String> unavailablePolicy(Mail mail) {
        if (!gateways.isEmpty()) {
            return Optional.empty();
        }
        for (String domain : applicableDomains(mail)) {
            try {
                PolicyDecision decision = resolver.resolve(domain);
                if (decision.kind() == PolicyDecision.Kind.TEMPORARY_FAILURE) {
                    return Optional.of("MTA-STS policy of " + domain + " temporarily unavailable: "
                        + decision.reason().orElse("unknown reason"));
                }
            } catch (RuntimeException e) {
                LOGGER.error("MTA-STS policy lookup of {} failed", domain, e);
                return Optional.of("MTA-STS policy lookup of " + domain + " failed: " + e);
            }
        }
        return Optional.empty();
    }

    /**
     * RFC 8461 5.1: before failing permanently, check the TXT id again and fetch a newer policy if there is one.
     *
     * @return true when a policy changed, so that one more attempt is worth making
     */
    boolean recheckBeforePermanentFailure(Mail mail, Trigger trigger) {
        boolean changed = false;
        for (String domain : applicableDomains(mail)) {
            try {
                PolicyDecision before = resolver.resolve(domain);
                Mode applied = MxCheck.appliedMode(before, settings.overrideFor(domain));
                if (trigger == Trigger.PERMANENT_ERROR && applied != Mode.ENFORCE) {
                    continue;
                }
                PolicyDecision after = resolver.recheck(domain);
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
        return changed;
    }

    private static boolean differs(PolicyDecision before, PolicyDecision after) {
        return before.kind() != after.kind() || !before.policyId().equals(after.policyId())
            || !before.policy().equals(after.policy());
    }

    private List<String> applicableDomains(Mail mail) {
        if (!settings.enabled() || TlsOptOut.of(mail, settings).skipsMtaSts()) {
            return List.of();
        }
        List<String> domains = gateways.isEmpty()
            ? PolicyDomains.ofRecipients(mail).stream().collect(Collectors.toList())
            : gateways.stream().map(g -> g.contains(":") ? g.substring(0, g.lastIndexOf(':')) : g)
                .map(PolicyDomains::ofName).flatMap(Optional::stream).distinct().collect(Collectors.toList());
        return domains.stream()
            .filter(d -> !settings.overrideFor(d).equals(Optional.of(DomainOverride.DISABLE)))
            .collect(Collectors.toList());
    }
}
