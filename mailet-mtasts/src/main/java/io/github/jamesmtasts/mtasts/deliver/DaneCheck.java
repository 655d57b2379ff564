package io.github.jamesmtasts.mtasts.deliver;

import java.util.Optional;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * RFC 7672 per MX host, before MTA-STS (RFC 8461 2: DANE takes precedence where it applies). James walks the MX hosts
 * of its own, non-validating lookup; each is checked here against the DNSSEC-validated {@link DaneDomain} decided once
 * for the mail. Pure.
 */
public final class DaneCheck {

    /** Log state of a host that DANE leaves to MTA-STS. */
    static final String NOT_APPLICABLE = "not-applicable";

    private DaneCheck() {
    }

    /**
     * @param required {@link DaneOverride#REQUIRED} for the domain: a host without a secure TLSA RRset is refused
     * @return the host's plan when DANE decides it; empty when MTA-STS applies to the host (DANE does not)
     */
    public static Optional<HostPlan> check(DaneDomain domain, boolean required, String mxHost) {
        DomainName recipient = domain.domain();
        switch (domain.kind()) {
            case UNUSABLE:
                // RFC 7672 2.2.1: a bogus or failed MX lookup makes every MX unusable now (temporary, never plaintext).
                return Optional.of(HostPlan.dane(mxHost, HostVerdict.refuse(Optional.of(Classification.of(
                    domain.failure().orElse(ResultType.DNSSEC_INVALID))), "DANE: the MX lookup of " + recipient
                    + " did not validate (" + domain.reason() + ")"), recipient, Optional.empty(), true, "unusable"));
            case NOT_APPLICABLE:
                return required ? Optional.of(daneRequired(recipient, Optional.empty(), mxHost, domain.reason()))
                    : Optional.empty();
            default:
                return secure(domain, required, mxHost);
        }
    }

    private static Optional<HostPlan> secure(DaneDomain domain, boolean required, String mxHost) {
        DomainName recipient = domain.domain();
        Optional<MxDane> found = DomainName.of(mxHost).flatMap(domain::host);
        if (found.isEmpty()) {
            // RFC 7672 2.2.1: only the hosts of the validated MX RRset; James's own lookup is not validated, so a host
            // it offers beyond them may be an attacker's. No TLS-RPT result type fits: not recorded, logged.
            return Optional.of(HostPlan.dane(mxHost, HostVerdict.refuse(Optional.empty(), "DANE: MX " + mxHost
                + " is not in the DNSSEC-validated MX RRset of " + recipient + " " + domain.hosts().keySet()), recipient,
                Optional.empty(), false, "not-in-secure-mx-set"));
        }
        MxDane host = found.get();
        switch (host.kind()) {
            case AUTHENTICATE:
                return Optional.of(HostPlan.dane(mxHost, HostVerdict.daneAuthenticate("DANE: " + host.usableRecords().size()
                    + " usable TLSA record(s) under _25._tcp." + host.tlsaBase()), recipient, found, true, "authenticate"));
            case ENCRYPT_ONLY:
                return Optional.of(HostPlan.dane(mxHost, HostVerdict.daneEncryptOnly("DANE: TLSA records under _25._tcp."
                    + host.tlsaBase() + ", none usable: TLS without authentication"), recipient, found, true,
                    "encrypt-only"));
            case UNUSABLE:
                // RFC 7672 2.1.1: a bogus or failed TLSA (or address) lookup: this host is not used now.
                return Optional.of(HostPlan.dane(mxHost, HostVerdict.refuse(Optional.of(Classification.of(
                    host.failure().orElse(ResultType.DNSSEC_INVALID))), "DANE: " + host.reason()), recipient, found, true,
                    "unusable"));
            default:
                return required ? Optional.of(daneRequired(recipient, found, mxHost, host.reason())) : Optional.empty();
        }
    }

    /** RFC 8460 4.3.2.1 {@code dane-required}: the administrator requires DANE, the host has no secure TLSA RRset. */
    private static HostPlan daneRequired(DomainName recipient, Optional<MxDane> host, String mxHost, String why) {
        return HostPlan.dane(mxHost, HostVerdict.refuse(Optional.of(Classification.of(ResultType.DANE_REQUIRED)),
            "DANE required for " + recipient + " (" + MtaStsDeliverySettings.DANE_OVERRIDES + "), but MX " + mxHost
                + " has no DNSSEC-validated TLSA records (" + why + ")"), recipient, host, true, "required-missing");
    }
}
