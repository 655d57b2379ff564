package io.github.jamesmtasts.mtasts.cli;

import java.io.IOException;
import java.net.Socket;

import javax.net.ssl.SSLSocket;

import io.github.jamesmtasts.mtasts.dane.MxDane;

/**
 * The TLS a DANE sender uses with one MX host whose TLSA RRset is secure (RFC 7672 2.2, 3): TLS 1.2+, SNI with the
 * MX name, and for {@link MxDane.Kind#AUTHENTICATE} the certificate matched against the host's usable TLSA records
 * instead of PKIX (for {@link MxDane.Kind#ENCRYPT_ONLY} no certificate check). Built from the delivery's own DANE
 * trust manager, so that {@code mta-sts check} judges a host as delivery does.
 */
@FunctionalInterface
public interface DaneSockets {

    /**
     * Layers TLS over the connection after STARTTLS; the handshake is the caller's.
     *
     * @param host a host whose kind is AUTHENTICATE or ENCRYPT_ONLY
     */
    SSLSocket layer(Socket connection, MxDane host, int port) throws IOException;
}
