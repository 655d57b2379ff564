package io.github.jamesmtasts.tlsrpt.discover;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses one joined {@code _smtp._tls} TXT record against the ABNF of RFC 8460 3. Pure: no DNS, no logging.
 * The outcome is {@link TlsRptRecordOutcome.Kind#VALID} or {@link TlsRptRecordOutcome.Kind#INVALID}, never an exception.
 */
public final class TlsRptRecordParser {

    /** RFC 8460 3: {@code tlsrpt-version = %s"v=TLSRPTv1"}, case-sensitive, first. */
    public static final String VERSION = "v=TLSRPTv1";

    private static final String RUA = "rua";
    // RFC 8460 3: tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // RFC 8460 3: tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");
    // RFC 3986 3.1 scheme, then the URI characters minus "," "!" ";" which RFC 8460 3 says MUST be encoded.
    private static final Pattern URI_TEXT = Pattern.compile(
        "[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\\-._~:/?#\\[\\]@$&'()*+=]|%[0-9A-Fa-f]{2})*");
    private static final Pattern TLSRPT_ESCAPES = Pattern.compile("%(2[Cc]|21|3[Bb])");

    private TlsRptRecordParser() {
    }

    /** True when DNS should keep this TXT record as a TLS-RPT candidate (RFC 8460 3: others are discarded). */
    public static boolean isTlsRptRecord(String txt) {
        if (!txt.startsWith(VERSION)) {
            return false;
        }
        // "v=TLSRPTv10" is another version, not ours: the version must end at a delimiter.
        return txt.length() == VERSION.length() || isWsp(txt.charAt(VERSION.length())) || txt.charAt(VERSION.length()) == ';';
    }

    public static TlsRptRecordOutcome parse(String txt) {
        if (!isTlsRptRecord(txt)) {
            return TlsRptRecordOutcome.invalid("the record must start with " + VERSION);
        }
        Optional<List<ReportUri>> rua = Optional.empty();
        Map<String, String> extensions = new LinkedHashMap<>();
        int pos = VERSION.length();
        while (true) {
            pos = skipWsp(txt, pos);
            if (pos == txt.length()) {
                break;
            }
            if (txt.charAt(pos) != ';') {
                return TlsRptRecordOutcome.invalid("fields must be separated by ';' (at offset " + pos + ")");
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
                return TlsRptRecordOutcome.invalid("field '" + field + "' is not name=value");
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            if (name.equals(RUA)) {
                if (rua.isPresent()) {
                    // SPEC: the ABNF does not forbid a second rua=, but which one the domain meant is unknowable.
                    return TlsRptRecordOutcome.invalid("more than one rua= field");
                }
                Optional<String> problem = checkUris(value);
                if (problem.isPresent()) {
                    return TlsRptRecordOutcome.invalid(problem.get());
                }
                rua = Optional.of(usableUris(value));
            } else {
                if (!EXT_NAME.matcher(name).matches() || !EXT_VALUE.matcher(value).matches()) {
                    return TlsRptRecordOutcome.invalid("field '" + field + "' is neither rua= nor a valid extension");
                }
                extensions.putIfAbsent(name, value);
            }
        }
        if (rua.isEmpty()) {
            return TlsRptRecordOutcome.invalid("the record has no rua= field (RFC 8460 3: rua is required)");
        }
        if (rua.get().isEmpty()) {
            return TlsRptRecordOutcome.invalid("rua= names no usable mailto: or https: URI");
        }
        return TlsRptRecordOutcome.valid(TlsRptRecord.of(rua.get(), extensions));
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
            if (!URI_TEXT.matcher(uri).matches()) {
                return Optional.of("rua URI '" + uri + "' is not a URI (RFC 8460 3: ',', '!' and ';' must be"
                    + " percent-encoded)");
            }
        }
        return Optional.empty();
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
