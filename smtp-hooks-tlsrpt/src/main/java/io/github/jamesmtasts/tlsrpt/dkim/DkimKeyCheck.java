package io.github.jamesmtasts.tlsrpt.dkim;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.james.jdkim.api.PublicKeyRecord;
import org.apache.james.jdkim.tagvalue.PublicKeyRecordImpl;

import io.github.jamesmtasts.tlsrpt.dns.TxtAnswer;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Does the DKIM key published at {@code <selector>._domainkey.<domain>} match the configured private key? The record is
 * read with jDKIM's own parser, as James's verifier would read it; the answer names what to fix.
 */
public final class DkimKeyCheck {

    /** A 4096-bit key record is about 750 characters; anything much longer is not one, and is not parsed. */
    public static final int MAX_RECORD_CHARS = 4096;

    public enum Verdict {
        /** The one key record holds the configured public key: signatures will verify. */
        MATCHES,
        /** No TXT record at the name. */
        NO_RECORD,
        /** The DNS lookup failed: nothing can be concluded. */
        DNS_ERROR,
        /** More than one key record: verifiers may pick either (RFC 6376 3.6.2.2). */
        SEVERAL_RECORDS,
        /** A key record that verifiers cannot use (syntax, revoked, not rsa, no sha256). */
        INVALID_RECORD,
        /** A valid key record, but for another key: signatures will fail. */
        OTHER_KEY
    }

    private final Verdict verdict;
    private final String message;

    private DkimKeyCheck(Verdict verdict, String message) {
        this.verdict = verdict;
        this.message = message;
    }

    /**
     * @param answer the TXT lookup of {@link DkimKeyRecord#name} for {@code selector} and {@code domain}
     * @param configured the public half of the key the report mailet signs with
     */
    public static DkimKeyCheck of(String selector, DomainName domain, RSAPublicKey configured, TxtAnswer answer) {
        DomainName name = DkimKeyRecord.name(selector, domain);
        String publish = "publish: " + DkimKeyRecord.zoneFileLine(selector, domain, configured);
        switch (answer.kind()) {
            case TEMPORARY_FAILURE:
                return new DkimKeyCheck(Verdict.DNS_ERROR, "the DNS lookup of " + name + " failed ("
                    + answer.failureReason().orElse("no reason given") + "); try again, or ask another server with --dns");
            case NOT_FOUND:
                return new DkimKeyCheck(Verdict.NO_RECORD, "no TXT record at " + name + "; " + publish);
            default:
                break;
        }
        List<String> keyRecords = answer.records().stream()
            .filter(r -> r.trim().startsWith("v=DKIM1") || r.contains("p="))
            .collect(Collectors.toList());
        if (keyRecords.isEmpty()) {
            return new DkimKeyCheck(Verdict.NO_RECORD, "the TXT records at " + name + " hold no DKIM key; " + publish);
        }
        if (keyRecords.size() > 1) {
            return new DkimKeyCheck(Verdict.SEVERAL_RECORDS, keyRecords.size() + " DKIM key records at " + name
                + "; keep exactly one: " + publish);
        }
        return checkRecord(name, keyRecords.get(0), configured, publish);
    }

    private static DkimKeyCheck checkRecord(DomainName name, String record, RSAPublicKey configured, String publish) {
        if (record.length() > MAX_RECORD_CHARS) {
            return new DkimKeyCheck(Verdict.INVALID_RECORD, "the record at " + name + " is longer than "
                + MAX_RECORD_CHARS + " characters; replace it: " + publish);
        }
        PublicKey published;
        try {
            PublicKeyRecord parsed = new PublicKeyRecordImpl(record);
            parsed.validate();
            if (!parsed.isKeyTypeSupported("rsa")) {
                return invalid(name, "its key type (k=) is not rsa", publish);
            }
            if (!parsed.isHashMethodSupported("sha256")) {
                return invalid(name, "its h= tag excludes sha256, which the reports are signed with", publish);
            }
            published = parsed.getPublicKey();
        } catch (RuntimeException e) {
            // jDKIM reports syntax errors, revoked keys (empty p=) and undecodable keys as IllegalStateException.
            return invalid(name, "jDKIM cannot use it: " + e.getMessage(), publish);
        }
        if (!Arrays.equals(published.getEncoded(), configured.getEncoded())) {
            return new DkimKeyCheck(Verdict.OTHER_KEY, "the record at " + name + " publishes another key than the"
                + " configured private key: signatures will not verify; replace the record, " + publish
                + " (or configure the private key that belongs to the published one)");
        }
        return new DkimKeyCheck(Verdict.MATCHES, "the record at " + name + " publishes the configured key ("
            + configured.getModulus().bitLength() + "-bit RSA): report signatures will verify");
    }

    private static DkimKeyCheck invalid(DomainName name, String why, String publish) {
        return new DkimKeyCheck(Verdict.INVALID_RECORD, "the DKIM record at " + name + " is unusable: " + why
            + "; replace it: " + publish);
    }

    public Verdict verdict() {
        return verdict;
    }

    public boolean matches() {
        return verdict == Verdict.MATCHES;
    }

    /** One line: what was found and, unless it matches, what to fix. */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DkimKeyCheck)) {
            return false;
        }
        DkimKeyCheck that = (DkimKeyCheck) o;
        return verdict == that.verdict && message.equals(that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(verdict, message);
    }

    @Override
    public String toString() {
        return verdict.name().toLowerCase(Locale.ROOT) + ": " + message;
    }
}
