package io.github.jamesmtasts.mtasts.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.jamesmtasts.tlsrpt.model.NetworkText;

/**
 * Parses an MTA-STS policy body (RFC 8461 3.2). Pure: no I/O, no clock, no logging. Field names are case-sensitive
 * ({@code %s} in the ABNF); {@code version}, {@code mode} and {@code max_age} are required; {@code mx} is required
 * unless the mode is {@code none}; unknown keys are ignored.
 */
public final class StsPolicyParser {

    /** RFC 8461 3.2: "max_age ... up to 31557600" (one year); larger values are capped to this. */
    public static final long MAX_AGE_CAP_SECONDS = 31_557_600L;

    private static final String VERSION = "version";
    private static final String MODE = "mode";
    private static final String MAX_AGE = "max_age";
    private static final String MX = "mx";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern MAX_AGE_VALUE = Pattern.compile("[0-9]{1,10}");
    // RFC 8461 3.2 sts-policy-mx-value: 1*(ALPHA / DIGIT / "_" / "-" / ".") with an optional "*." prefix.
    private static final Pattern MX_VALUE = Pattern.compile("(\\*\\.)?[A-Za-z0-9_.-]+");
    // RFC 5234 CTL except HTAB (which is WSP); LF never occurs inside a line.
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0A-\\x1F\\x7F]");
    private static final int MAX_QUOTED = 80;
    /** RFC 8461 3.3 (F): policies are at most 64 KiB; the parser checks it too, whoever hands it the text (H2). */
    public static final int MAX_POLICY_LENGTH = 64 * 1024;

    private StsPolicyParser() {
    }

    public static StsPolicyParseResult parse(String body) {
        if (body.length() > MAX_POLICY_LENGTH) {
            // RFC 8461 3.3 (F): reject, never truncate.
            return StsPolicyParseResult.invalid("policy is " + body.length() + " characters long, longer than the"
                + " 64 KiB RFC 8461 3.3 allows; shorten it");
        }
        String text = body;
        if (text.startsWith("\uFEFF")) {
            // SPEC: a UTF-8 byte order mark (added by some editors) is dropped rather than failing the policy.
            text = text.substring(1);
        }
        // RFC 8461 3.2: lines end with LF or CRLF; split(-1) keeps a final unterminated line.
        String[] rawLines = text.split("\n", -1);
        List<String> lines = new ArrayList<>();
        Map<String, Value> firsts = new HashMap<>();
        List<MxPattern> mx = new ArrayList<>();
        for (int i = 0; i < rawLines.length; i++) {
            int number = i + 1;
            String line = rawLines[i].endsWith("\r") ? rawLines[i].substring(0, rawLines[i].length() - 1) : rawLines[i];
            if (isBlank(line)) {
                // SPEC: blank (empty or WSP-only) lines are ignored, e.g. the empty line after a final terminator.
                continue;
            }
            lines.add(line);
            if (CONTROL.matcher(line).find()) {
                // SPEC: RFC 8461 3.2 values exclude CTLs, for unknown keys too; such a line (e.g. a lone CR) invalidates
                // the policy instead of being ignored, which also keeps control characters out of TLS-RPT policy-strings.
                return invalid(number, line, "contains a control character (only LF or CRLF may end a line)");
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                // SPEC: the ABNF has no line without "key:"; such a line (often an HTML error page) invalidates the policy.
                return invalid(number, line, "is not 'key: value'");
            }
            String key = line.substring(0, colon);
            String value = trimWsp(line.substring(colon + 1));
            if (!KEY.matcher(key).matches()) {
                return invalid(number, line, "has a malformed key (letters, digits, '_', '-', '.', no spaces before ':')");
            }
            if (MX.equals(key)) {
                Optional<MxPattern> pattern = parseMx(value);
                if (pattern.isEmpty()) {
                    // SPEC: one bad mx invalidates the whole policy instead of being skipped, so the domain owner is
                    // told (sts-policy-invalid) rather than having MX hosts silently fail under enforce.
                    return invalid(number, line, "has an invalid mx: use a host name in A-labels (punycode), optionally"
                        + " starting with '*.', never an IP address or a wildcard other than the whole first label");
                }
                mx.add(pattern.get());
            } else {
                // RFC 8461 3.2: for a repeated key other than mx only the first occurrence is used.
                firsts.putIfAbsent(key, new Value(number, line, value));
            }
        }
        return build(firsts, mx, lines);
    }

    private static StsPolicyParseResult build(Map<String, Value> firsts, List<MxPattern> mx, List<String> lines) {
        Value version = firsts.get(VERSION);
        if (version == null) {
            return StsPolicyParseResult.invalid("policy has no 'version: STSv1' line; add it as the first line");
        }
        if (!"STSv1".equals(version.value)) {
            return invalid(version.number, version.line, "must be 'version: STSv1'");
        }
        Value modeValue = firsts.get(MODE);
        if (modeValue == null) {
            return StsPolicyParseResult.invalid("policy has no 'mode:' line; add 'mode: testing', 'mode: enforce' or 'mode: none'");
        }
        // SPEC: the first occurrence decides even when it is invalid; a later valid one does not rescue it.
        Optional<Mode> mode = Mode.fromToken(modeValue.value);
        if (mode.isEmpty()) {
            return invalid(modeValue.number, modeValue.line, "must be 'mode: enforce', 'mode: testing' or 'mode: none' (case-sensitive)");
        }
        Value maxAgeValue = firsts.get(MAX_AGE);
        if (maxAgeValue == null) {
            return StsPolicyParseResult.invalid("policy has no 'max_age:' line; add e.g. 'max_age: 604800' (seconds)");
        }
        if (!MAX_AGE_VALUE.matcher(maxAgeValue.value).matches()) {
            return invalid(maxAgeValue.number, maxAgeValue.line, "max_age must be 1 to 10 digits (seconds, at most 31557600)");
        }
        // SPEC: values above 31557600 are capped, not rejected: RFC 8461 3.2 sets the maximum, and rejecting would
        // leave the domain unprotected over an over-long cache lifetime.
        long maxAge = Math.min(Long.parseLong(maxAgeValue.value), MAX_AGE_CAP_SECONDS);
        if (mx.isEmpty() && mode.get() != Mode.NONE) {
            // RFC 8461 3.2: mx is required unless the mode is "none".
            return StsPolicyParseResult.invalid("policy in mode " + mode.get().token() + " has no 'mx:' line; add one"
                + " 'mx: <host or *.domain>' line per MX host");
        }
        return StsPolicyParseResult.valid(StsPolicy.of(mode.get(), Duration.ofSeconds(maxAge), mx, lines));
    }

    private static Optional<MxPattern> parseMx(String value) {
        // SPEC: U-labels (non-ASCII) are refused: RFC 8461 3.2 says mx names are in A-labels.
        if (!MX_VALUE.matcher(value).matches()) {
            return Optional.empty();
        }
        return MxPattern.parse(value);
    }

    private static StsPolicyParseResult invalid(int number, String line, String problem) {
        // The body is untrusted: only printable ASCII, bounded, reaches log lines and reports (H4).
        String quoted = NetworkText.clean(line, MAX_QUOTED + 3);
        return StsPolicyParseResult.invalid("policy line " + number + " '" + quoted + "' " + problem);
    }

    private static boolean isBlank(String line) {
        return trimWsp(line).isEmpty();
    }

    // Only WSP (SP / HTAB) is trimmed: String.trim() would also eat other control characters.
    private static String trimWsp(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWsp(s.charAt(start))) {
            start++;
        }
        while (end > start && isWsp(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    private static final class Value {
        final int number;
        final String line;
        final String value;

        Value(int number, String line, String value) {
            this.number = number;
            this.line = line;
            this.value = value;
        }
    }
}
