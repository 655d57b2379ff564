package io.github.jamesmtasts.mtasts.dane;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The DNSSEC-validated DANE lookups of one recipient domain (RFC 7672 2.2): MX RRset, each host's address records,
 * each host's TLSA RRset. Implementations bound every wait and every answer; they never throw for DNS trouble, they
 * answer {@link DaneDomain.Kind#UNUSABLE} or {@link MxDane.Kind#UNUSABLE}.
 */
public interface DaneLookup {

    DaneDomain lookup(DomainName recipientDomain);
}
