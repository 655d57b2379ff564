package io.github.jamesmtasts.mtasts.discover;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import io.github.jamesmtasts.tlsrpt.model.DnsNames;

/**
 * The policy domain as both DNS ({@code _mta-sts.<domain>}) and HTTPS ({@code mta-sts.<domain>}) need it: lower case,
 * no trailing dot, internationalised labels converted to A-labels (RFC 8461 3.1 and 3.3 name hosts in DNS form).
 */
public final class PolicyDomain {

    // LDH labels of 1-63 characters, at least two labels, the last one not all digits (an IP address is no domain);
    // at most 245 characters so that "mta-sts." + domain stays within 253.
    private static final Pattern DOMAIN = Pattern.compile(
        "(?=.{1,245}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?=[a-z0-9-]*[a-z-])[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    // 253 characters in A-labels, a trailing dot, and room for U-labels that shrink on conversion.
    private static final int MAX_INPUT_LENGTH = 1_024;

    private PolicyDomain() {
    }

    /** @return the normalised domain, or empty when {@code domain} is not a host name (IP literal, URL, garbage) */
    public static Optional<String> normalize(String domain) {
        if (domain.length() > MAX_INPUT_LENGTH) {
            // H2: bounded before IDN conversion and matching; no domain name is this long (RFC 1035 2.3.4).
            return Optional.empty();
        }
        String d = DnsNames.withoutTrailingDot(domain);
        String ascii;
        try {
            ascii = IDN.toASCII(d, 0).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return DOMAIN.matcher(ascii).matches() ? Optional.of(ascii) : Optional.empty();
    }
}
