package io.github.jamesmtasts.mtasts.fetch;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** Fetches and parses a domain's MTA-STS policy (RFC 8461 3.3). Thread-safe; never throws for I/O problems. */
public interface PolicyFetcher {

    /** @param domain the policy domain; the policy host is {@code mta-sts.<domain>} */
    FetchOutcome fetch(DomainName domain);
}
