package io.github.jamesmtasts.mtasts.discover;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordLookup;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Looks up and judges a domain's {@code _mta-sts} TXT record (RFC 8461 3.1) through the shared TXT pipeline. Callers
 * act on the outcome as follows: VALID compare the id with the cached policy; ABSENT, INVALID and MULTIPLE mean "no
 * STS record" (which does not remove a cached policy); DNS_ERROR is temporary and must never be treated as "no policy".
 */
public final class StsRecordDiscovery {

    private final TxtRecordLookup<StsRecord> lookup;

    public StsRecordDiscovery(TxtResolver resolver) {
        this.lookup = new TxtRecordLookup<>(resolver, StsRecordParser.TYPE);
    }

    /** @param domain the policy domain (the recipient domain, RFC 8461 3.4) */
    public TxtRecordOutcome<StsRecord> discover(DomainName domain) {
        return lookup.lookup(domain);
    }
}
