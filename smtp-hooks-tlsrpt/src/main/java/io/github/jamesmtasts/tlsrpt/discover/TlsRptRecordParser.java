package io.github.jamesmtasts.tlsrpt.discover;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordType;
import io.github.jamesmtasts.tlsrpt.model.NetworkText;

/**
 * Parses one joined {@code _smtp._tls} TXT record against the ABNF of RFC 8460 3. Pure: no DNS, no logging.
 * The outcome is {@link TxtRecordOutcome.Kind#VALID} or {@link TxtRecordOutcome.Kind#INVALID}, never an exception;
 * lookup, selection and the exactly-one rule are the shared {@link io.github.jamesmtasts.tlsrpt.dns.TxtRecordLookup}'s.
 */
public final class TlsRptRecordParser {

    /** RFC 8460 3: {@code tlsrpt-version = %s"v=TLSRPTv1"}, case-sensitive, first. */
    public static final String VERSION = "v=TLSRPTv1";

    /** Longest {@code rua} URI accepted (the common practical URL limit; RFC 3986 sets none). */
    public static final int MAX_URI_LENGTH = 2_048;
    /** Longest joined record accepted: room for several maximal URIs, far below a whole TXT RRset (65,535 bytes). */
    public static final int MAX_RECORD_LENGTH = 16_384;

    /** RFC 8460 3: {@code _smtp._tls.<domain>}, records starting with {@code v=TLSRPTv1}. */
    public static final TxtRecordType<TlsRptRecord> TYPE = TxtRecordType.of("_smtp._tls", VERSION,
        TlsRptRecordParser::parse, "publish one record such as 'v=TLSRPTv1; rua=mailto:tlsrpt@example.com' (RFC 8460 3)");

    private static final String RUA = "rua";
    // RFC 8460 3: tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // RFC 8460 3: tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");
    // RFC 3986 URI characters minus "," "!" ";" which RFC 8460 3 says MUST be percent-encoded ("%" checked apart).
    private static final String URI_CHARS = "-._~:/?#[]@$&'()*+=";
    private static final int MAX_QUOTED = 80;
    private static final Pattern TLSRPT_ESCAPES = Pattern.compile("%(2[Cc]|21|3[Bb])");

    private TlsRptRecordParser() {
    }

    /** True when DNS should keep this TXT record as a TLS-RPT candidate (RFC 8460 3: others are discarded). */
    public static boolean isTlsRptRecord(String txt) {
        // "v=TLSRPTv10" is another version, not ours: the version must end at a delimiter.
        return TxtRecordType.startsWithVersion(txt, VERSION);
    }

    public static TxtRecordOutcome<TlsRptRecord> parse(String txt) {
        if (!isTlsRptRecord(txt)) {
            return TxtRecordOutcome.invalid("the record must start with " + VERSION);
        }
        if (txt.length() > MAX_RECORD_LENGTH) {
            // H2: bounded before any matching; a whole TXT RRset can carry 65,535 bytes.
            return TxtRecordOutcome.invalid("the record is " + txt.length() + " characters long, longer than "
                + MAX_RECORD_LENGTH + "; publish fewer or shorter rua URIs and extensions");
        }
        Optional<List<ReportUri>> rua = Optional.empty();
        int pos = VERSION.length();
        while (true) {
            pos = skipWsp(txt, pos);
            if (pos == txt.length()) {
                break;
            }
            if (txt.charAt(pos) != ';') {
                return TxtRecordOutcome.invalid("fields must be separated by ';' (at offset " + pos + ")");
            }
            pos = skipWsp(txt, pos + 1);
            if (pos == txt.length()) {
                break; // RFC 8460 3: a trailing field-delim is allowed
            }
            int end = txt.indexOf(';', pos);
            if (end < 0) {
                end = txt.length();
            }
            String field = trimWspEnd(txt.substring(pos, end));
            pos = pos + field.length();
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return TxtRecordOutcome.invalid("field '" + quoted(field) + "' is not name=value");
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            if (name.equals(RUA)) {
                if (rua.isPresent()) {
                    // SPEC: the ABNF does not forbid a second rua=, but which one the domain meant is unknowable.
                    return TxtRecordOutcome.invalid("more than one rua= field");
                }
                Optional<String> problem = checkUris(value);
                if (problem.isPresent()) {
                    return TxtRecordOutcome.invalid(problem.get());
                }
                rua = Optional.of(usableUris(value));
            } else {
                if (!EXT_NAME.matcher(name).matches() || !EXT_VALUE.matcher(value).matches()) {
                    return TxtRecordOutcome.invalid("field '" + quoted(field) + "' is neither rua= nor a valid extension");
                }
            }
        }
        if (rua.isEmpty()) {
            return TxtRecordOutcome.invalid("the record has no rua= field (RFC 8460 3: rua is required)");
        }
        if (rua.get().isEmpty()) {
            return TxtRecordOutcome.invalid("rua= names no usable mailto: or https: URI");
        }
        return TxtRecordOutcome.valid(TlsRptRecord.of(rua.get()));
    }

    private static List<String> splitUris(String value) {
        List<String> uris = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            uris.add(trimWspEnd(part.substring(skipWsp(part, 0))));
        }
        return uris;
    }

    private static Optional<String> checkUris(String value) {
        for (String uri : splitUris(value)) {
            if (uri.length() > MAX_URI_LENGTH) {
                return Optional.of("rua URI '" + quoted(uri) + "' is " + uri.length() + " characters long, longer than "
                    + MAX_URI_LENGTH + "; shorten it");
            }
            if (!isUriText(uri)) {
                return Optional.of("rua URI '" + quoted(uri) + "' is not a URI (RFC 8460 3: ',', '!' and ';' must be"
                    + " percent-encoded)");
            }
        }
        return Optional.empty();
    }

    /**
     * RFC 3986 3.1 {@code scheme ":"} then URI characters or {@code %HH} escapes. A character loop, not a regex: an
     * alternation under {@code *} recurses once per character in java.util.regex and overflowed the stack (H2).
     */
    private static boolean isUriText(String uri) {
        if (uri.isEmpty() || !isAlpha(uri.charAt(0))) {
            return false;
        }
        int i = 1;
        while (i < uri.length() && (isAlpha(uri.charAt(i)) || isDigit(uri.charAt(i)) || "+.-".indexOf(uri.charAt(i)) >= 0)) {
            i++;
        }
        if (i == uri.length() || uri.charAt(i) != ':') {
            return false;
        }
        for (i++; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '%') {
                if (i + 2 >= uri.length() || !isHex(uri.charAt(i + 1)) || !isHex(uri.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!isAlpha(c) && !isDigit(c) && URI_CHARS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    private static String quoted(String text) {
        return NetworkText.clean(text, MAX_QUOTED);
    }

    private static List<ReportUri> usableUris(String value) {
        List<ReportUri> usable = new ArrayList<>();
        for (String uri : splitUris(value)) {
            int colon = uri.indexOf(':');
            String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
            String rest = uri.substring(colon + 1);
            // RFC 8460 3: only mailto: (5.3) and https: (5.4) are defined; other schemes are skipped.
            if (scheme.equals("mailto")) {
                mailbox(rest).ifPresent(m -> usable.add(ReportUri.mailto(m, uri)));
            } else if (scheme.equals("https")) {
                httpsUrl(rest).ifPresent(u -> usable.add(ReportUri.https(u, uri)));
            }
        }
        return usable;
    }

    private static Optional<String> mailbox(String rest) {
        int query = rest.indexOf('?');
        // RFC 6068: mailto:addr?hfields; only the address matters for a report.
        String address = percentDecode(query < 0 ? rest : rest.substring(0, query));
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1 || address.indexOf(',') >= 0
            || address.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            // SPEC: one mailbox per URI; whitespace or control characters would let a record inject mail headers.
            return Optional.empty();
        }
        return Optional.of(address);
    }

    private static Optional<String> httpsUrl(String rest) {
        // Decode only the escapes TLS-RPT itself requires; other escapes belong to the URL.
        String url = "https:" + TLSRPT_ESCAPES.matcher(rest).replaceAll(m -> {
            String hex = m.group(1).toUpperCase(Locale.ROOT);
            return hex.equals("2C") ? "," : hex.equals("21") ? "!" : ";";
        });
        try {
            URI parsed = new URI(url);
            if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    private static int skipWsp(String s, int pos) {
        while (pos < s.length() && isWsp(s.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private static String trimWspEnd(String s) {
        int end = s.length();
        while (end > 0 && isWsp(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
