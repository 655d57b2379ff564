package io.github.jamesmtasts.mtasts.resolve;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Answers "which MTA-STS policy applies to this recipient domain right now" (RFC 8461 3.3, 5.1).
 * Thread-safe. A warm cache answers without I/O.
 */
public interface PolicyResolver {

    /**
     * @param domain the policy domain (RFC 8461 3.4), parsed once where it entered: the recipient domain of the mail
     *     or a gateway's name (PolicyDomains), an operator's path parameter or CLI argument
     */
    PolicyDecision resolve(DomainName domain);

    /**
     * RFC 8461 5.1: called before a message is failed permanently. Checks the TXT id now, ignoring the usual
     * check interval, and fetches a newer policy when the id changed.
     */
    PolicyDecision recheck(DomainName domain);

    /**
     * Design rule H6: like {@link #resolve}, but a delivery thread waits only a short time for a discovery (TXT lookup
     * and HTTPS fetch) that runs elsewhere, and learns that it is still running rather than being held by a slow
     * policy host. A warm cache answers at once, without I/O. This default waits for {@link #resolve}.
     */
    default Discovery resolveForDelivery(DomainName domain) {
        return Discovery.done(resolve(domain));
    }

    /** Design rule H6 for {@link #recheck}; this default waits for {@link #recheck}. */
    default Discovery recheckForDelivery(DomainName domain) {
        return Discovery.done(recheck(domain));
    }

    /**
     * Every MX host of a delivery was refused under {@code refused}, a cached policy applied as {@code enforce}, by
     * its mx patterns or by certificate failures (docs/enforcement.md, "Stale policies"). A resolver that caches
     * policies refetches the policy under its unchanged id when its limits allow, and never fails open: a failed
     * refetch keeps the cached policy. Waits like {@link #resolveForDelivery} (H6). This default is for resolvers
     * without a cache, which hold no stale policy: nothing changes.
     *
     * @return the decision to deliver with now: another one than {@code refused} when the policy in force changed;
     *     {@code refused} itself otherwise
     */
    default Discovery healForDelivery(PolicyDecision refused) {
        return Discovery.done(refused);
    }
}
