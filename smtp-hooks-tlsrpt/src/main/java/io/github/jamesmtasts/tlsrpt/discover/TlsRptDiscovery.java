package io.github.jamesmtasts.tlsrpt.discover;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordLookup;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Looks up where a policy domain wants its TLS reports: the {@code _smtp._tls.<domain>} TXT record (RFC 8460 3),
 * through the shared TXT pipeline.
 */
public final class TlsRptDiscovery {

    private final TxtRecordLookup<TlsRptRecord> lookup;

    public TlsRptDiscovery(TxtResolver resolver) {
        this.lookup = new TxtRecordLookup<>(resolver, TlsRptRecordParser.TYPE);
    }

    /**
     * @param policyDomain the recipient domain the report is about; a trailing dot and case are ignored
     * @return VALID with the record; ABSENT (send nothing; also for a policy domain that is no domain name); INVALID or
     *     MULTIPLE (send nothing, the domain must fix its DNS); DNS_ERROR (temporary: keep the report and look up
     *     again later)
     */
    public TxtRecordOutcome<TlsRptRecord> discover(String policyDomain) {
        return DomainName.of(policyDomain).map(lookup::lookup).orElseGet(TxtRecordOutcome::absent);
    }
}
