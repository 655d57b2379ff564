package io.github.jamesmtasts.tlsrpt.dns;

import java.util.Objects;
import java.util.function.Function;

/**
 * What tells one RFC's TXT record apart from the others at its name, and its own syntax: the owner name's prefix
 * ({@code _mta-sts}, {@code _smtp._tls}), the version token records of the type start with ({@code v=STSv1},
 * {@code v=TLSRPTv1}) and the parser of one joined record. Everything else (lookup, selection, exactly one) is
 * {@link TxtRecordLookup}'s.
 *
 * @param <R> the parsed record
 */
public final class TxtRecordType<R> {

    private final String ownerPrefix;
    private final String version;
    private final Function<String, TxtRecordOutcome<R>> syntax;
    private final String fix;

    private TxtRecordType(String ownerPrefix, String version, Function<String, TxtRecordOutcome<R>> syntax, String fix) {
        this.ownerPrefix = Objects.requireNonNull(ownerPrefix);
        this.version = Objects.requireNonNull(version);
        this.syntax = Objects.requireNonNull(syntax);
        this.fix = Objects.requireNonNull(fix);
    }

    /**
     * @param ownerPrefix the labels put before the domain, e.g. {@code _mta-sts}
     * @param version the case-sensitive token every record of the type starts with, e.g. {@code v=STSv1}
     * @param syntax parses one joined record of the type: VALID or INVALID (with the problem), never an exception
     * @param fix what the domain owner should do with an invalid record, appended to its reason
     */
    public static <R> TxtRecordType<R> of(String ownerPrefix, String version, Function<String, TxtRecordOutcome<R>> syntax,
                                          String fix) {
        return new TxtRecordType<>(ownerPrefix, version, syntax, fix);
    }

    /**
     * RFC 8461 3.1 and RFC 8460 3: records not starting with the version are discarded before counting. SPEC: "starts
     * with" means the exact token followed by ';', WSP or the end: {@code v=STSv10} is another version, not a
     * malformed record of ours, while {@code v=STSv1 ;} is ours (the ABNF allows WSP before the ';').
     */
    public static boolean startsWithVersion(String text, String version) {
        if (!text.startsWith(version)) {
            return false;
        }
        if (text.length() == version.length()) {
            return true;
        }
        char next = text.charAt(version.length());
        return next == ';' || next == ' ' || next == '\t';
    }

    public String ownerPrefix() {
        return ownerPrefix;
    }

    public String version() {
        return version;
    }

    boolean isOfType(String text) {
        return startsWithVersion(text, version);
    }

    TxtRecordOutcome<R> parse(String text) {
        return syntax.apply(text);
    }

    String fix() {
        return fix;
    }

    @Override
    public String toString() {
        return ownerPrefix + " (" + version + ")";
    }
}
