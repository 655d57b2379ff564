package io.github.jamesmtasts.mtasts.dane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.xbill.DNS.Address;

/**
 * One upstream resolver of {@code dane.resolvers}: {@code IPv4}, {@code IPv4:port}, {@code IPv6}, {@code [IPv6]} or
 * {@code [IPv6]:port}, port 53 by default. Only address literals: finding the resolver must not need DNS.
 */
final class ResolverAddress {
    static final int DEFAULT_PORT = 53;

    private ResolverAddress() {
    }

    /** @return the address, or empty when {@code text} is none of the accepted forms (never throws) */
    static Optional<InetSocketAddress> parse(String text) {
        String host = text;
        String port = String.valueOf(DEFAULT_PORT);
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.empty();
                }
                port = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return Optional.empty();
        }
        boolean v6 = host.contains(":");
        if (!v6 && !Address.isDottedQuad(host)) {
            return Optional.empty();
        }
        try {
            InetAddress address = Address.getByAddress(host, v6 ? Address.IPv6 : Address.IPv4);
            return Optional.of(new InetSocketAddress(address, Integer.parseInt(port)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
