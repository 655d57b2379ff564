package io.github.jamesmtasts.tlsrpt.net;

import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLParameters;

/**
 * The one protocol policy of every TLS client of ours (MX hosts, policy hosts, report collectors): RFC 8461 7 (I)
 * requires TLS 1.2 or higher, whatever else the JVM would allow.
 */
public final class TlsProtocols {

    /** Offered in this order; anything older is never offered. */
    public static final List<String> ALLOWED = List.of("TLSv1.3", "TLSv1.2");

    private TlsProtocols() {
    }

    /** The allowed protocols among those a socket or engine supports, in {@link #ALLOWED} order. */
    public static String[] offered(String[] supported) {
        List<String> available = Arrays.asList(supported);
        return ALLOWED.stream().filter(available::contains).toArray(String[]::new);
    }

    /** Restricts {@code parameters} to the allowed protocols a socket supporting {@code supported} can speak. */
    public static SSLParameters restrict(SSLParameters parameters, String[] supported) {
        parameters.setProtocols(offered(supported));
        return parameters;
    }
}
