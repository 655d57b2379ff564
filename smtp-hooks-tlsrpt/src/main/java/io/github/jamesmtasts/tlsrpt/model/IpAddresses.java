package io.github.jamesmtasts.tlsrpt.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Text forms of IP addresses as RFC 8460 4.4 wants them: IPv6 in RFC 5952 canonical form. */
public final class IpAddresses {

    private IpAddresses() {
    }

    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        if (address instanceof Inet6Address) {
            return formatIpv6(address.getAddress());
        }
        throw new IllegalArgumentException("not an IP address: " + address);
    }

    // RFC 5952 4: lower case, no leading zeros, the longest run (first if tied) of two or more zero groups as "::".
    private static String formatIpv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
