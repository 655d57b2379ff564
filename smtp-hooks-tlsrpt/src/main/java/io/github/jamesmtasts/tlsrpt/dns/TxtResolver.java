package io.github.jamesmtasts.tlsrpt.dns;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The one TXT lookup of the project, used for both {@code _mta-sts} (RFC 8461 3.1) and
 * {@code _smtp._tls} (RFC 8460 3). Implementations follow CNAMEs and must tell a temporary DNS
 * failure apart from "no such record": RFC 8461 forbids treating the former as "no policy".
 */
public interface TxtResolver {

    /**
     * @param name the owner name, such as {@code _mta-sts.example.com} ({@link DomainName#prefixed(String)})
     * @return never null; a failure to reach DNS is {@link TxtAnswer#temporaryFailure(String)}, not an exception
     */
    TxtAnswer lookup(DomainName name);
}
