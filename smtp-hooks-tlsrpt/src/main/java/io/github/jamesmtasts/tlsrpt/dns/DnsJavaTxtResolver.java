package io.github.jamesmtasts.tlsrpt.dns;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * TXT lookups through dnsjava. Without an explicit resolver it uses dnsjava's default resolver,
 * which inside James is the one James's {@code DNSJavaService} installed (its servers, its cache).
 * dnsjava's {@link Lookup} follows CNAMEs and reports {@code TRY_AGAIN} apart from
 * {@code HOST_NOT_FOUND}/{@code TYPE_NOT_FOUND}, which is exactly the distinction RFC 8461 needs.
 */
public final class DnsJavaTxtResolver implements TxtResolver {

    /**
     * H2: at most this many TXT records at one name are looked at. {@code _mta-sts} and {@code _smtp._tls} names hold
     * one record (RFC 8461 3.1, RFC 8460 3); a few foreign ones are tolerated, thousands of tiny ones are hostile.
     */
    public static final int MAX_RECORDS = 64;
    /** H2: the joined text of all records together; a DNS message (and so a TXT RRset) is at most 65,535 bytes. */
    public static final int MAX_JOINED_LENGTH = 65_535;

    private final Optional<Resolver> resolver;

    private DnsJavaTxtResolver(Optional<Resolver> resolver) {
        this.resolver = resolver;
    }

    /** Uses dnsjava's default resolver and cache (James's, when running inside James). */
    public static DnsJavaTxtResolver usingDefaultResolver() {
        return new DnsJavaTxtResolver(Optional.empty());
    }

    /** Uses the given resolver with no cache: for the CLI and tests. */
    public static DnsJavaTxtResolver using(Resolver resolver) {
        return new DnsJavaTxtResolver(Optional.of(resolver));
    }

    @Override
    public TxtAnswer lookup(DomainName owner) {
        String name = owner.asString();
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name + "."), Type.TXT);
        } catch (TextParseException e) {
            // Not a DNS name at all: it cannot have a record.
            return TxtAnswer.notFound();
        }
        resolver.ifPresent(r -> {
            lookup.setResolver(r);
            lookup.setCache(null);
        });
        Record[] answers = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL:
                return found(name, answers);
            case Lookup.HOST_NOT_FOUND:
            case Lookup.TYPE_NOT_FOUND:
                return TxtAnswer.notFound();
            case Lookup.TRY_AGAIN:
            case Lookup.UNRECOVERABLE:
            default:
                return TxtAnswer.temporaryFailure("DNS lookup of TXT " + name + " failed: " + lookup.getErrorString());
        }
    }

    private static TxtAnswer found(String name, Record[] answers) {
        List<String> records = new ArrayList<>();
        long minTtl = Long.MAX_VALUE;
        int total = 0;
        for (Record record : answers) {
            if (record instanceof TXTRecord) {
                if (records.size() == MAX_RECORDS) {
                    // SPEC: "try later", never "no record": a hostile answer must not read as "no policy" (RFC 8461 3.1).
                    return TxtAnswer.temporaryFailure("TXT " + name + " holds more than " + MAX_RECORDS + " records;"
                        + " the domain owner must remove the extra records at this name");
                }
                StringBuilder joined = new StringBuilder();
                for (byte[] part : ((TXTRecord) record).getStringsAsByteArrays()) {
                    total += part.length;
                    if (total > MAX_JOINED_LENGTH) {
                        return TxtAnswer.temporaryFailure("TXT " + name + " holds more than " + MAX_JOINED_LENGTH
                            + " characters of text; the domain owner must shorten the records at this name");
                    }
                    // TXT strings are octets; both RFCs restrict records to ASCII, anything else fails parsing.
                    joined.append(new String(part, StandardCharsets.ISO_8859_1));
                }
                records.add(joined.toString());
                minTtl = Math.min(minTtl, record.getTTL());
            }
        }
        if (records.isEmpty()) {
            return TxtAnswer.notFound();
        }
        return TxtAnswer.found(records, Duration.ofSeconds(minTtl));
    }
}
