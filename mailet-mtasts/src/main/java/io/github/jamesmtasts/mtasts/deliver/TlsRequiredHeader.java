package io.github.jamesmtasts.mtasts.deliver;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whose {@code TLS-Required: No} header (RFC 8689 5) is honoured ({@code mtasts.tlsRequiredHeader}). The header asks
 * to deliver even when MTA-STS would refuse. RFC 8689 lets the message's author opt out; but a header is written by
 * whoever wrote the message, so honouring it on mail that merely passes through James (arrived from outside, then
 * forwarded) would let any outsider downgrade that mail. SPEC: by default only mail that James's SMTP server
 * accepted from an authenticated sender or from its relay networks may opt out.
 */
public enum TlsRequiredHeader {
    /** Honoured for SMTP-authenticated senders and the relay networks ({@code authorizedAddresses}); the default. */
    AUTHENTICATED("authenticated"),
    /** Honoured on every mail (earlier versions): anyone who can get a mail to James can switch MTA-STS off for it. */
    ANY("any"),
    /** Never honoured: MTA-STS applies to every mail except our own TLS-RPT report mails. */
    NEVER("never");

    private final String token;

    TlsRequiredHeader(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<TlsRequiredHeader> fromToken(String token) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.token.equals(t)).findFirst();
    }

    public static String acceptedTokens() {
        return Arrays.stream(values()).map(TlsRequiredHeader::token).collect(Collectors.joining(", "));
    }
}
