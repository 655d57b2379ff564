package io.github.jamesmtasts.mtasts.cli;

import java.util.Objects;

/** The {@code --dns HOST[:PORT]} value: a DNS server to ask instead of the system resolver. IPv6 as {@code [::1]:53}. */
public final class DnsServer {

    private final String host;
    private final int port;

    private DnsServer(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public static DnsServer of(String host, int port) {
        return new DnsServer(Objects.requireNonNull(host), port);
    }

    /** @throws UsageException naming the value when it is not {@code HOST}, {@code HOST:PORT} or {@code [IPv6]:PORT} */
    public static DnsServer parse(String text) throws UsageException {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                throw new UsageException("--dns " + text + ": write [IPv6]:PORT, e.g. [::1]:5353");
            }
            host = text.substring(1, close);
            port = close + 1 < text.length() ? text.substring(close + 2) : null;
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            // A bare IPv6 literal: no port.
            host = text;
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.\\-:%]+")) {
            throw new UsageException("--dns " + text + ": expected HOST[:PORT], e.g. 127.0.0.1:5353");
        }
        return new DnsServer(host, port == null ? CheckOptions.DEFAULT_DNS_PORT : OptionValues.port("--dns", port));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DnsServer)) {
            return false;
        }
        DnsServer that = (DnsServer) o;
        return port == that.port && host.equals(that.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
