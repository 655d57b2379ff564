package io.github.jamesmtasts.mtasts.dane;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The DNSSEC trust anchors validation starts from (RFC 4033 3.1, RFC 7958): DS or DNSKEY records in zone-file
 * syntax. By default the root zone's key-signing keys; a file for private test roots or a new root KSK. Immutable.
 */
public final class DnssecTrustAnchors {
    /** H2: a trust anchor file larger than this is refused (the root's file is a few hundred bytes). */
    public static final int MAX_FILE_BYTES = 64 * 1024;
    /** H2: at most this many DS/DNSKEY records. */
    public static final int MAX_RECORDS = 100;

    /**
     * The root zone's KSK-2017 (key tag 20326) and KSK-2024 (key tag 38696), algorithm 8, SHA-256 digests, as IANA
     * publishes them in https://data.iana.org/root-anchors/root-anchors.xml (KeyDigest ids Klajeyz and Kmyv6jo;
     * validFrom 2017-02-02 and 2024-07-18). Both stay configured across the 2026 root KSK rollover.
     */
    public static final String ROOT_KSK_DS =
        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
        + ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n";

    private final String text;
    private final String source;
    private final List<Name> zones;

    private DnssecTrustAnchors(String text, String source, List<Name> zones) {
        this.text = text;
        this.source = source;
        this.zones = List.copyOf(zones);
    }

    /** The root zone's current KSKs ({@link #ROOT_KSK_DS}). */
    public static DnssecTrustAnchors rootKsks() {
        return parse(ROOT_KSK_DS, "the built-in root KSK-2017 and KSK-2024 DS records");
    }

    /**
     * @throws IllegalArgumentException naming the file and what to fix: unreadable, too big, not zone-file syntax,
     *                                  or without any DS or DNSKEY record
     */
    public static DnssecTrustAnchors fromFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("trust anchor file " + file + " has " + size + " bytes; at most "
                    + MAX_FILE_BYTES + " are read: give a file with only the DS or DNSKEY records of the anchors");
            }
            return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), "trust anchor file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read trust anchor file " + file + ": " + e.getMessage()
                + "; give a readable file with DS or DNSKEY records in zone-file syntax", e);
        }
    }

    /** @param source how to name the text in errors */
    public static DnssecTrustAnchors parse(String text, String source) {
        Objects.requireNonNull(text);
        if (text.toUpperCase(java.util.Locale.ROOT).contains("$INCLUDE")) {
            // the zone-file parser would open other files: a trust anchor file stands alone
            throw new IllegalArgumentException(source + " uses $INCLUDE; write the DS or DNSKEY records into it");
        }
        Set<Name> zones = new LinkedHashSet<>();
        int count = 0;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (Master master = new Master(new ByteArrayInputStream(bytes), Name.root, 0)) {
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                if (record.getType() == Type.DS || record.getType() == Type.DNSKEY) {
                    zones.add(record.getName());
                    if (++count > MAX_RECORDS) {
                        throw new IllegalArgumentException(source + " has more than " + MAX_RECORDS
                            + " DS/DNSKEY records; keep only the trust anchors");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(source)) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException(source + " is not in zone-file syntax (" + e.getMessage()
                + "); write DS or DNSKEY records such as '" + ROOT_KSK_DS.split("\n")[0] + "'", e);
        }
        if (zones.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no DS or DNSKEY record; write records such as '"
                + ROOT_KSK_DS.split("\n")[0] + "'");
        }
        return new DnssecTrustAnchors(text, source, new ArrayList<>(zones));
    }

    /** The zones the anchors are for (the root, or a private test root). */
    public List<Name> zones() {
        return zones;
    }

    /** Where the anchors came from, for logs and errors. */
    public String source() {
        return source;
    }

    void loadInto(ValidatingResolver validator) {
        try {
            validator.loadTrustAnchors(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // parse() already read the same text with the same parser
            throw new UncheckedIOException(source + " could not be loaded", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnssecTrustAnchors && text.equals(((DnssecTrustAnchors) o).text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return "DnssecTrustAnchors{" + source + " " + zones + "}";
    }
}
