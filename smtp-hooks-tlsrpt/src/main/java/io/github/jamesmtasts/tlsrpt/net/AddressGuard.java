package io.github.jamesmtasts.tlsrpt.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Refuses connections to addresses that are not on the public Internet (SSRF guard): a DNS name under the control of
 * a remote domain (an MTA-STS policy host, a TLS-RPT https: rua) must not make this server talk to its own loopback,
 * private networks, link-local metadata services and the like, unless the administrator allows a block explicitly.
 */
public final class AddressGuard {

    private static final List<Cidr> NOT_PUBLIC = List.of(
        Cidr.parse("0.0.0.0/8"),        // "this network"
        Cidr.parse("10.0.0.0/8"),       // RFC 1918
        Cidr.parse("100.64.0.0/10"),    // RFC 6598 carrier-grade NAT
        Cidr.parse("127.0.0.0/8"),      // loopback
        Cidr.parse("169.254.0.0/16"),   // link-local, cloud metadata services
        Cidr.parse("172.16.0.0/12"),    // RFC 1918
        Cidr.parse("192.0.0.0/24"),     // IETF protocol assignments
        Cidr.parse("192.168.0.0/16"),   // RFC 1918
        Cidr.parse("198.18.0.0/15"),    // benchmarking
        Cidr.parse("224.0.0.0/4"),      // multicast
        Cidr.parse("240.0.0.0/4"),      // reserved, broadcast
        Cidr.parse("::/128"),           // unspecified
        Cidr.parse("::1/128"),          // loopback
        Cidr.parse("fc00::/7"),         // unique local
        Cidr.parse("fe80::/10"),        // link-local
        Cidr.parse("ff00::/8"));        // multicast

    private final List<Cidr> allowed;

    private AddressGuard(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Public addresses plus the given blocks (none: public addresses only; an internal collector; 127.0.0.0/8 in tests). */
    public static AddressGuard allowing(List<Cidr> allowed) {
        return new AddressGuard(allowed);
    }

    /** @return why the address is refused, or empty when a connection to it is permitted */
    public Optional<String> refusal(InetAddress address) {
        InetAddress effective = unmapIpv4(address);
        if (allowed.stream().anyMatch(c -> c.contains(effective) || c.contains(address))) {
            return Optional.empty();
        }
        if (NOT_PUBLIC.stream().anyMatch(c -> c.contains(effective))) {
            return Optional.of(effective.getHostAddress() + " is not a public address; allow its block explicitly"
                + " if connecting to it is intended");
        }
        return Optional.empty();
    }

    // ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d: judge it as such.
    private static InetAddress unmapIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return address;
            }
        }
        if ((b[10] & 0xff) != 0xff || (b[11] & 0xff) != 0xff) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
