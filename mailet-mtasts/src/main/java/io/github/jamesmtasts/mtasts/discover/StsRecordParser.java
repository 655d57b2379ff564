package io.github.jamesmtasts.mtasts.discover;

import java.util.regex.Pattern;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordType;
import io.github.jamesmtasts.tlsrpt.model.NetworkText;

/**
 * Parses one joined {@code _mta-sts} TXT record against the RFC 8461 3.1 ABNF. Pure: no DNS, no logging. Text that
 * is no STS record at all is ABSENT (discarded before counting), a malformed STS record INVALID; lookup, selection and
 * the exactly-one rule are the shared {@link io.github.jamesmtasts.tlsrpt.dns.TxtRecordLookup}'s.
 *
 * <pre>
 * sts-text-record = sts-version 1*(sts-sep sts-field) [sts-sep]
 * sts-field       = sts-id / sts-extension
 * sts-version     = %s"v=STSv1"
 * sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
 * sts-sep         = *WSP %x3B *WSP
 * sts-extension   = sts-ext-name "=" sts-ext-value
 * sts-ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 * sts-ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
 * </pre>
 */
public final class StsRecordParser {

    static final String VERSION = "v=STSv1";
    private static final String ID = "id";
    private static final Pattern ID_VALUE = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // %x21-3A / %x3C / %x3E-7E: visible ASCII except ';' and '='.
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");
    private static final int MAX_QUOTED = 80;
    /**
     * Longest joined record parsed (H2): {@code v=STSv1}, a 32-character id and room for many extensions; RFC 8461 sets
     * no limit, but a whole TXT RRset may carry 65,535 bytes and no sender needs that much of it.
     */
    public static final int MAX_RECORD_LENGTH = 4_096;

    /** RFC 8461 3.1: {@code _mta-sts.<domain>}, records starting with {@code v=STSv1}. */
    public static final TxtRecordType<StsRecord> TYPE = TxtRecordType.of("_mta-sts", VERSION, StsRecordParser::parse,
        "fix it as RFC 8461 3.1 describes, e.g. 'v=STSv1; id=20240101T000000'");

    private StsRecordParser() {
    }

    /** RFC 8461 3.1: whether the record is an STS record at all ({@link TxtRecordType#startsWithVersion}). */
    public static boolean isStsRecord(String text) {
        return TxtRecordType.startsWithVersion(text, VERSION);
    }

    public static TxtRecordOutcome<StsRecord> parse(String text) {
        if (!isStsRecord(text)) {
            return TxtRecordOutcome.absent();
        }
        if (text.length() > MAX_RECORD_LENGTH) {
            return TxtRecordOutcome.invalid("the record is " + text.length() + " characters long, longer than "
                + MAX_RECORD_LENGTH + "; keep it to 'v=STSv1; id=...' and a few short extensions");
        }
        String id = null;
        int length = text.length();
        int position = VERSION.length();
        while (position < length) {
            int separator = skipWsp(text, position);
            if (separator == length) {
                // SPEC: the ABNF has no trailing WSP without a ';' ("id=1 " is malformed); we follow it strictly.
                return invalid("whitespace after the last field must be followed by ';' or removed", text.substring(position));
            }
            if (text.charAt(separator) != ';') {
                return invalid("fields must be separated by ';'", text.substring(position));
            }
            int start = skipWsp(text, separator + 1);
            if (start == length) {
                break; // RFC 8461 3.1: an optional trailing sts-sep
            }
            int end = fieldEnd(text, start);
            String field = text.substring(start, end);
            int equals = field.indexOf('=');
            if (equals <= 0) {
                return invalid("each field must be name=value", field);
            }
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (ID.equals(name) && id == null) {
                // RFC 8461 3.1: the first id is the id; a later "id=..." matches only sts-extension in the ABNF,
                // so it is checked as an extension below (issue 11).
                if (!ID_VALUE.matcher(value).matches()) {
                    return invalid("id must be 1 to 32 letters or digits (no '-', '.', or spaces)", field);
                }
                id = value;
            } else {
                if (!EXT_NAME.matcher(name).matches()) {
                    return invalid("extension name must be a letter or digit followed by up to 31 letters, digits, '_', '-' or '.'", field);
                }
                if (!EXT_VALUE.matcher(value).matches()) {
                    return invalid("extension value must be 1 or more visible ASCII characters other than ';' and '='", field);
                }
                // Extensions carry no meaning for senders today: checked, not kept.
            }
            position = end;
        }
        if (id == null) {
            return TxtRecordOutcome.invalid("the record has no id field; add 'id=<1-32 letters or digits>' after 'v=STSv1;'");
        }
        return TxtRecordOutcome.valid(StsRecord.of(id));
    }

    private static TxtRecordOutcome<StsRecord> invalid(String problem, String near) {
        // DNS data is untrusted: keep control characters and non-ASCII out of log lines.
        String quoted = NetworkText.clean(near, MAX_QUOTED + 3);
        return TxtRecordOutcome.invalid(problem + " (at '" + quoted + "')");
    }

    private static int fieldEnd(String text, int start) {
        int i = start;
        while (i < text.length() && text.charAt(i) != ';' && !isWsp(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipWsp(String text, int from) {
        int i = from;
        while (i < text.length() && isWsp(text.charAt(i))) {
            i++;
        }
        return i;
    }

    // RFC 5234 WSP = SP / HTAB
    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }
}
