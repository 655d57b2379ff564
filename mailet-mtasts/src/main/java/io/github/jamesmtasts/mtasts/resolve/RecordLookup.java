package io.github.jamesmtasts.mtasts.resolve;

import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Looks up a domain's {@code _mta-sts} TXT record (RFC 8461 3.1); {@code new StsRecordDiscovery(txt)::discover}
 * is the production implementation. Never throws for DNS problems: they are {@code DNS_ERROR} outcomes.
 */
@FunctionalInterface
public interface RecordLookup {

    /** @param domain the policy domain */
    TxtRecordOutcome<StsRecord> lookup(DomainName domain);
}
