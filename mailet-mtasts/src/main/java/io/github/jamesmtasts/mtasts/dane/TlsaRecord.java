package io.github.jamesmtasts.mtasts.dane;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.xbill.DNS.TLSARecord;

/**
 * One TLSA record (RFC 6698 2.1) as DANE for SMTP reads it: certificate usage, selector, matching type and the
 * association data. Immutable; the data is copied in and out.
 */
public final class TlsaRecord {

    /** RFC 7672 3.1: the usages SMTP honours. PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP (RFC 7672 3.1.3). */
    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;
    /** RFC 6698 2.1.2. */
    public static final int SELECTOR_CERT = 0;
    public static final int SELECTOR_SPKI = 1;
    /** RFC 6698 2.1.3. */
    public static final int MATCH_FULL = 0;
    public static final int MATCH_SHA256 = 1;
    public static final int MATCH_SHA512 = 2;
    /** H2: association data longer than this (a full certificate is a few KiB) makes the record unusable. */
    public static final int MAX_DATA_LENGTH = 16_384;

    private final int usage;
    private final int selector;
    private final int matchingType;
    private final byte[] data;

    private TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
        this.usage = usage;
        this.selector = selector;
        this.matchingType = matchingType;
        this.data = data;
    }

    /** @throws IllegalArgumentException for fields outside one octet (RFC 6698 2.1) */
    public static TlsaRecord of(int usage, int selector, int matchingType, byte[] data) {
        if (usage < 0 || usage > 255 || selector < 0 || selector > 255 || matchingType < 0 || matchingType > 255) {
            throw new IllegalArgumentException("TLSA fields are one octet each: " + usage + " " + selector + " "
                + matchingType);
        }
        return new TlsaRecord(usage, selector, matchingType, Objects.requireNonNull(data).clone());
    }

    public static TlsaRecord fromDns(TLSARecord record) {
        return of(record.getCertificateUsage(), record.getSelector(), record.getMatchingType(),
            record.getCertificateAssociationData());
    }

    public int usage() {
        return usage;
    }

    public int selector() {
        return selector;
    }

    public int matchingType() {
        return matchingType;
    }

    public byte[] data() {
        return data.clone();
    }

    /**
     * RFC 7672 3.1 and 3.1.3, RFC 6698 2.1: DANE-TA(2) or DANE-EE(3), a known selector and matching type, and data of
     * the digest's length (any non-empty, bounded length for a full match). Everything else is ignored when matching.
     */
    public boolean usable() {
        if (usage != DANE_TA && usage != DANE_EE) {
            return false;
        }
        if (selector != SELECTOR_CERT && selector != SELECTOR_SPKI) {
            return false;
        }
        switch (matchingType) {
            case MATCH_FULL:
                return data.length > 0 && data.length <= MAX_DATA_LENGTH;
            case MATCH_SHA256:
                return data.length == 32;
            case MATCH_SHA512:
                return data.length == 64;
            default:
                return false;
        }
    }

    /** RFC 6698 2.2 presentation form, {@code 3 1 1 <hex>}: what TLS-RPT reports as {@code policy-string}. */
    public String presentation() {
        StringBuilder text = new StringBuilder(8 + data.length * 2);
        text.append(usage).append(' ').append(selector).append(' ').append(matchingType).append(' ');
        for (byte b : data) {
            text.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsaRecord)) {
            return false;
        }
        TlsaRecord that = (TlsaRecord) o;
        return usage == that.usage && selector == that.selector && matchingType == that.matchingType
            && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(usage, selector, matchingType) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String text = presentation();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
