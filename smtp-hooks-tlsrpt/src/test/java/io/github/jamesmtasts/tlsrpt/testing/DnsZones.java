package io.github.jamesmtasts.tlsrpt.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The mutable in-memory data of a {@link LoopbackDnsServer} and the authoritative answering logic: records per
 * owner name, SERVFAIL injection per name, NXDOMAIN/NODATA with the zone's SOA (negative TTL = record TTL),
 * CNAME chains followed inside our zones, REFUSED outside them. Thread-safe by synchronizing on this object.
 */
final class DnsZones {
    private static final int MAX_CNAME_CHAIN = 8;

    private final Set<Name> apexes = new HashSet<>();
    private final Map<Name, List<Record>> records = new LinkedHashMap<>();
    private final Set<Name> servfail = new HashSet<>();
    private long ttlSeconds;

    synchronized void addZone(Name apex) {
        apexes.add(apex);
    }

    synchronized void ttl(long seconds) {
        this.ttlSeconds = seconds;
    }

    synchronized long ttl() {
        return ttlSeconds;
    }

    synchronized void add(Record record) {
        if (zoneOf(record.getName()).isEmpty()) {
            throw new IllegalArgumentException(record.getName() + " is outside the zones of this DNS server " + apexes
                    + "; add the zone first");
        }
        records.computeIfAbsent(record.getName(), n -> new ArrayList<>()).add(record);
    }

    synchronized void remove(Name name, int type) {
        List<Record> list = records.get(name);
        if (list != null) {
            list.removeIf(r -> r.getType() == type);
            if (list.isEmpty()) {
                records.remove(name);
            }
        }
    }

    synchronized void servfail(Name name, boolean enabled) {
        if (enabled) {
            servfail.add(name);
        } else {
            servfail.remove(name);
        }
    }

    /** Builds the response to {@code query} (whose question is already known to exist). */
    synchronized Message answer(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        Optional<Name> zone = zoneOf(question.getName());
        if (zone.isEmpty() || question.getDClass() != DClass.IN) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        Name name = question.getName();
        for (int hops = 0; hops <= MAX_CNAME_CHAIN; hops++) {
            if (servfail.contains(name)) {
                return servfail(query, question);
            }
            List<Record> owned = records.getOrDefault(name, List.of());
            List<Record> matching = new ArrayList<>();
            for (Record record : owned) {
                if (record.getType() == question.getType() || question.getType() == Type.ANY) {
                    matching.add(record);
                }
            }
            if (!matching.isEmpty()) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                return response;
            }
            Optional<Record> cname = owned.stream().filter(r -> r.getType() == Type.CNAME).findFirst();
            if (cname.isEmpty()) {
                // RFC 2308: NXDOMAIN when the name owns nothing (and has nothing below it), else NODATA; SOA for caching.
                if (owned.isEmpty() && !hasDescendants(name) && !apexes.contains(name)) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                response.addRecord(soa(zoneOf(name).orElse(zone.get())), Section.AUTHORITY);
                return response;
            }
            response.addRecord(cname.get(), Section.ANSWER);
            name = ((CNAMERecord) cname.get()).getTarget();
            if (zoneOf(name).isEmpty()) {
                return response; // the resolver follows a CNAME leaving our zones itself (and gets REFUSED)
            }
        }
        return servfail(query, question);
    }

    private static Message servfail(Message query, Record question) {
        Message failure = new Message(query.getHeader().getID());
        failure.getHeader().setFlag(Flags.QR);
        failure.getHeader().setRcode(Rcode.SERVFAIL);
        failure.addRecord(question, Section.QUESTION);
        return failure;
    }

    private boolean hasDescendants(Name name) {
        for (Name owner : records.keySet()) {
            if (!owner.equals(name) && owner.subdomain(name)) {
                return true;
            }
        }
        return false;
    }

    private Optional<Name> zoneOf(Name name) {
        Name best = null;
        for (Name apex : apexes) {
            if (name.subdomain(apex) && (best == null || apex.labels() > best.labels())) {
                best = apex;
            }
        }
        return Optional.ofNullable(best);
    }

    private SOARecord soa(Name apex) {
        try {
            return new SOARecord(apex, DClass.IN, ttlSeconds, Name.fromString("ns", apex),
                    Name.fromString("hostmaster", apex), 1, 3600, 600, 86400, ttlSeconds);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
