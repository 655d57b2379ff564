package io.github.jamesmtasts.mtasts.dane;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One answer of the validating resolver as DANE reads it (RFC 7672 2.1): the DNSSEC status, the records of the type
 * asked (after any CNAME chain), whether the name does not exist, and how long the answer may be cached. Immutable.
 */
public final class SecureAnswer {
    /** H2: a reason quoted from the validator is cut to this length. */
    static final int MAX_REASON_LENGTH = 300;

    private final Name name;
    private final Name owner;
    private final int type;
    private final DnssecStatus status;
    private final List<Record> records;
    private final boolean nameError;
    private final long ttlSeconds;
    private final String reason;

    private SecureAnswer(Name name, Name owner, int type, DnssecStatus status, List<Record> records,
                         boolean nameError, long ttlSeconds, String reason) {
        this.name = Objects.requireNonNull(name);
        this.owner = Objects.requireNonNull(owner);
        this.type = type;
        this.status = Objects.requireNonNull(status);
        this.records = List.copyOf(records);
        this.nameError = nameError;
        this.ttlSeconds = Math.max(0, ttlSeconds);
        this.reason = reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) + "..." : reason;
    }

    /**
     * Reads what dnsjava's {@code ValidatingResolver} concluded: the AD bit means secure (RFC 4035 3.2.3); SERVFAIL
     * with an extended DNS error (RFC 8914) means bogus (dnsjava also reports an upstream SERVFAIL so); any other
     * SERVFAIL or rcode means indeterminate; a NOERROR or NXDOMAIN answer without AD is insecure (or outside every
     * trust anchor, which is the same for DANE).
     */
    static SecureAnswer of(Name name, int type, Message validated) {
        int rcode = validated.getRcode();
        if (rcode == Rcode.SERVFAIL) {
            String why = extendedError(validated);
            return failed(name, type, why.isEmpty() ? DnssecStatus.INDETERMINATE : DnssecStatus.BOGUS,
                why.isEmpty() ? "SERVFAIL" : why);
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return failed(name, type, DnssecStatus.INDETERMINATE, Rcode.string(rcode));
        }
        DnssecStatus status = validated.getHeader().getFlag(Flags.AD) ? DnssecStatus.SECURE : DnssecStatus.INSECURE;
        List<Record> matching = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        Name owner = name;
        for (Record record : validated.getSection(Section.ANSWER)) {
            if (record instanceof CNAMERecord && record.getName().equals(owner)) {
                owner = ((CNAMERecord) record).getTarget(); // RFC 1034 3.6.2: the chain in answer order
            }
            if (record.getType() == type) {
                matching.add(record);
            }
            if (record.getType() != Type.RRSIG) {
                ttl = Math.min(ttl, record.getTTL());
            }
        }
        if (matching.isEmpty()) {
            // RFC 2308 5: a denial is cached for min(SOA TTL, SOA minimum); without a SOA, not at all
            long negative = 0;
            for (Record record : validated.getSection(Section.AUTHORITY)) {
                if (record instanceof SOARecord) {
                    negative = Math.min(record.getTTL(), ((SOARecord) record).getMinimum());
                }
            }
            ttl = Math.min(ttl, negative);
        }
        boolean nameError = rcode == Rcode.NXDOMAIN && matching.isEmpty();
        return new SecureAnswer(name, owner, type, status, matching, nameError, ttl,
            status == DnssecStatus.SECURE ? "secure" : "insecure (not signed, or not below a trust anchor)");
    }

    /** No usable answer: a bogus validation, a timeout, a network error. Never cached for long. */
    static SecureAnswer failed(Name name, int type, DnssecStatus status, String reason) {
        if (status == DnssecStatus.SECURE || status == DnssecStatus.INSECURE) {
            throw new IllegalArgumentException("a failed answer is bogus or indeterminate, not " + status);
        }
        return new SecureAnswer(name, name, type, status, List.of(), false, 0, reason);
    }

    private static String extendedError(Message message) {
        OPTRecord opt = message.getOPT();
        if (opt == null) {
            return "";
        }
        for (EDNSOption option : opt.getOptions()) {
            if (option instanceof ExtendedErrorCodeOption) {
                ExtendedErrorCodeOption error = (ExtendedErrorCodeOption) option;
                String text = error.getText() == null ? "" : ": " + error.getText();
                return ExtendedErrorCodeOption.text(error.getErrorCode()) + text;
            }
        }
        return "";
    }

    public Name name() {
        return name;
    }

    /**
     * The name at the end of the answer's CNAME chain (RFC 7672 2.2.3 calls it the CNAME-expanded name); {@link #name()}
     * itself without a CNAME.
     */
    public Name owner() {
        return owner;
    }

    public int type() {
        return type;
    }

    public DnssecStatus status() {
        return status;
    }

    /** The records of the type asked (after any CNAME chain), as validated; empty for a denial or a failure. */
    public List<Record> records() {
        return records;
    }

    /** NXDOMAIN: the name does not exist (RFC 7672 2.2.1 calls a secure one a secure denial, like NODATA). */
    public boolean nameError() {
        return nameError;
    }

    /** The smallest TTL of the answer (RFC 2181 5.2), or the negative TTL of a denial (RFC 2308 5). */
    public long ttlSeconds() {
        return ttlSeconds;
    }

    /** "secure", "insecure ..." or what the validator or the network said went wrong. */
    public String reason() {
        return reason;
    }

    /** A short text for logs and MxDane reasons: {@code _25._tcp.mx.example. TLSA: bogus (...)}. */
    String describe() {
        return name + " " + Type.string(type) + ": " + status.name().toLowerCase(java.util.Locale.ROOT)
            + (status == DnssecStatus.SECURE || status == DnssecStatus.INSECURE ? "" : " (" + reason + ")");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SecureAnswer)) {
            return false;
        }
        SecureAnswer that = (SecureAnswer) o;
        return type == that.type && nameError == that.nameError && ttlSeconds == that.ttlSeconds
            && name.equals(that.name) && owner.equals(that.owner) && status == that.status && records.equals(that.records)
            && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, owner, type, status, records, nameError, ttlSeconds, reason);
    }

    @Override
    public String toString() {
        return "SecureAnswer{" + describe() + " " + records.size() + " records, ttl " + ttlSeconds + "s}";
    }
}
