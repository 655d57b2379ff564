package io.github.jamesmtasts.mtasts.cli;

import javax.net.ssl.SSLSocketFactory;

import io.github.jamesmtasts.mtasts.dane.MxDane;

/**
 * The TLS a DANE sender uses with one MX host whose TLSA RRset is secure (RFC 7672 2.2, 3): TLS 1.2+, SNI with the
 * MX name, and for {@link MxDane.Kind#AUTHENTICATE} the certificate matched against the host's usable TLSA records
 * instead of PKIX (for {@link MxDane.Kind#ENCRYPT_ONLY} no certificate check). Built from the delivery's own DANE
 * trust manager, so that {@code mta-sts check} judges a host as delivery does.
 */
@FunctionalInterface
public interface DaneSockets {

    /** @param host a host whose kind is AUTHENTICATE or ENCRYPT_ONLY */
    SSLSocketFactory forHost(MxDane host);
}
