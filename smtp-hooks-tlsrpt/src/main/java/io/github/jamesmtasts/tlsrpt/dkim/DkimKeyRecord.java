package io.github.jamesmtasts.tlsrpt.dkim;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** The DNS TXT record that publishes a DKIM public key (RFC 6376 3.6.1) at {@code <selector>._domainkey.<domain>}. */
public final class DkimKeyRecord {

    /** RFC 1035 3.3.14: one character-string of a TXT record holds at most 255 bytes. */
    public static final int MAX_STRING_BYTES = 255;

    private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private DkimKeyRecord() {
    }

    /** RFC 6376 3.1: a selector is one or more DNS labels. */
    public static boolean isSelector(String selector) {
        return selector.length() <= 63 && SELECTOR.matcher(selector).matches();
    }

    /**
     * {@code <selector>._domainkey.<domain>} (RFC 6376 3.6.2.1) for a selector checked with {@link #isSelector}.
     *
     * @throws IllegalArgumentException when the name would be longer than DNS allows (RFC 1035 2.3.4)
     */
    public static DomainName name(String selector, DomainName domain) {
        return domain.prefixed(selector + "._domainkey").orElseThrow(() -> new IllegalArgumentException("the DKIM key"
            + " name " + selector + "._domainkey." + domain + " is longer than DNS allows; use a shorter selector"));
    }

    /** The record's text: {@code v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>}. */
    public static String text(RSAPublicKey key) {
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * The zone file line: {@code <name>. IN TXT "..." "..."}, the text split into strings of at most 255 bytes
     * (DNS joins them back without spaces, RFC 6376 3.6.2.2).
     */
    public static String zoneFileLine(String selector, DomainName domain, RSAPublicKey key) {
        StringBuilder line = new StringBuilder(name(selector, domain).asString()).append(". IN TXT");
        for (String part : strings(text(key))) {
            line.append(" \"").append(part).append('"');
        }
        return line.toString();
    }

    /** {@code text} cut into TXT character-strings of at most {@link #MAX_STRING_BYTES} bytes. */
    public static List<String> strings(String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        List<String> parts = new ArrayList<>();
        for (int start = 0; start < ascii.length; start += MAX_STRING_BYTES) {
            parts.add(new String(ascii, start, Math.min(MAX_STRING_BYTES, ascii.length - start), StandardCharsets.US_ASCII));
        }
        return parts;
    }
}
