package io.github.jamesmtasts.tlsrpt.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
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
 *
 * <p>DNSSEC (RFC 4033-4035): a zone added with {@link #addSignedZone} is signed on the fly when the query carries the
 * DO bit: every RRset of an answer gets an RRSIG, the apex serves SOA and DNSKEY, negative answers carry the NSEC
 * records of the zone's chain (computed from the zone's names) that prove NXDOMAIN or NODATA, including the
 * wildcard denial. A zone below another zone of this server is delegated from it: the parent answers DS queries for
 * the child's apex (with the child's DS when the child is signed, else with the NSEC proving there is none, which
 * makes the child provably insecure). The server answers every name of every zone itself, as a recursive resolver
 * does, so a validator asks it for the whole chain of trust.
 */
final class DnsZones {
    private static final int MAX_CNAME_CHAIN = 8;
    /** DNSKEY and DS records never change while the server runs. */
    private static final long KEY_TTL = 3600;

    private final Set<Name> apexes = new HashSet<>();
    private final Map<Name, DnssecZoneKeys> signed = new LinkedHashMap<>();
    private final Map<Name, List<Record>> records = new LinkedHashMap<>();
    private final Set<Name> servfail = new HashSet<>();
    private final Set<Name> silent = new HashSet<>();
    private final Set<Name> bogus = new HashSet<>();
    private final Set<Name> expired = new HashSet<>();
    private Clock signatureClock = Clock.systemUTC();
    private long ttlSeconds;

    synchronized void addZone(Name apex) {
        apexes.add(apex);
    }

    synchronized void addSignedZone(Name apex) {
        apexes.add(apex);
        signed.computeIfAbsent(apex, DnssecZoneKeys::generate);
    }

    synchronized void ttl(long seconds) {
        this.ttlSeconds = seconds;
    }

    synchronized long ttl() {
        return ttlSeconds;
    }

    synchronized void signatureClock(Clock clock) {
        this.signatureClock = clock;
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
        toggle(servfail, name, enabled);
    }

    synchronized void silent(Name name, boolean enabled) {
        toggle(silent, name, enabled);
    }

    synchronized boolean silent(Name name) {
        return silent.contains(name);
    }

    synchronized void bogus(Name name, boolean enabled) {
        toggle(bogus, name, enabled);
    }

    synchronized void expired(Name name, boolean enabled) {
        toggle(expired, name, enabled);
    }

    private static void toggle(Set<Name> set, Name name, boolean enabled) {
        if (enabled) {
            set.add(name);
        } else {
            set.remove(name);
        }
    }

    /**
     * The trust anchors of this server's signed zones that have no signed parent here, as zone-file lines
     * ({@code DS} records of their KSKs, or the KSK {@code DNSKEY} records themselves).
     */
    synchronized String trustAnchors(boolean asDnskey) {
        StringBuilder text = new StringBuilder();
        for (DnssecZoneKeys keys : signed.values()) {
            Optional<Name> parent = parentZone(keys.apex());
            if (parent.isEmpty() || !signed.containsKey(parent.get())) {
                text.append(asDnskey ? keys.ksk().toString() : keys.ds(KEY_TTL).toString()).append('\n');
            }
        }
        if (text.length() == 0) {
            throw new IllegalStateException("no signed zone on this DNS server: add one with signedZone(apex)");
        }
        return text.toString();
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
        OPTRecord opt = query.getOPT();
        boolean dnssec = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        Name name = question.getName();
        int type = question.getType();
        if (type == Type.DS && !servfail.contains(name) && apexes.contains(name) && parentZone(name).isPresent()) {
            // RFC 4035 3.1.4.1: DS lives on the parent side of the zone cut.
            return dsAnswer(response, name, parentZone(name).get(), dnssec);
        }
        for (int hops = 0; hops <= MAX_CNAME_CHAIN; hops++) {
            if (servfail.contains(name)) {
                return servfail(query, question);
            }
            Name nameZone = zoneOf(name).orElse(zone.get());
            List<Record> owned = owned(name, nameZone);
            Map<Integer, RRset> matching = new TreeMap<>();
            for (Record record : owned) {
                if (record.getType() == type || type == Type.ANY) {
                    matching.computeIfAbsent(record.getType(), t -> new RRset()).addRR(record);
                }
            }
            if (!matching.isEmpty()) {
                Name asked = name;
                matching.values().forEach(set -> addRRset(response, set, Section.ANSWER, nameZone, dnssec, asked));
                return response;
            }
            Optional<Record> cname = owned.stream().filter(r -> r.getType() == Type.CNAME).findFirst();
            if (cname.isEmpty()) {
                // RFC 2308: NXDOMAIN when the name owns nothing (and has nothing below it), else NODATA; SOA for caching.
                boolean nxdomain = owned.isEmpty() && !hasDescendants(name) && !apexes.contains(name);
                if (nxdomain) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                addRRset(response, new RRset(soa(nameZone)), Section.AUTHORITY, nameZone, dnssec, name);
                if (dnssec && signed.containsKey(nameZone)) {
                    denial(response, nameZone, name, nxdomain);
                }
                return response;
            }
            addRRset(response, new RRset(cname.get()), Section.ANSWER, nameZone, dnssec, name);
            name = ((CNAMERecord) cname.get()).getTarget();
            if (zoneOf(name).isEmpty()) {
                return response; // the resolver follows a CNAME leaving our zones itself (and gets REFUSED)
            }
        }
        return servfail(query, question);
    }

    private Message dsAnswer(Message response, Name child, Name parent, boolean dnssec) {
        if (signed.containsKey(child)) {
            addRRset(response, new RRset(signed.get(child).ds(KEY_TTL)), Section.ANSWER, parent, dnssec, child);
            return response;
        }
        addRRset(response, new RRset(soa(parent)), Section.AUTHORITY, parent, dnssec, child);
        if (dnssec && signed.containsKey(parent)) {
            addRRset(response, new RRset(nsec(parent, child)), Section.AUTHORITY, parent, true, child);
        }
        return response;
    }

    /** RFC 4035 3.1.3: the NSEC records proving that {@code name} does not exist, or has no record of the type asked. */
    private void denial(Message response, Name zone, Name name, boolean nxdomain) {
        List<Name> chain = chain(zone);
        Set<Name> proofs = new java.util.LinkedHashSet<>();
        // the NSEC at the name itself (NODATA), else the one covering it (NXDOMAIN, or an empty non-terminal)
        proofs.add(chain.contains(name) ? name : predecessor(chain, name));
        if (nxdomain) {
            // RFC 4035 3.1.3.2: and the NSEC covering the wildcard at the closest encloser
            Name encloser = name;
            while (!encloser.equals(zone) && !chain.contains(encloser) && !hasDescendantIn(chain, encloser)) {
                encloser = new Name(encloser, 1);
            }
            try {
                proofs.add(predecessor(chain, new Name("*", encloser)));
            } catch (TextParseException e) {
                throw new IllegalStateException(e);
            }
        }
        for (Name owner : proofs) {
            addRRset(response, new RRset(nsec(zone, owner)), Section.AUTHORITY, zone, true, name);
        }
    }

    /** The zone's names in canonical order (RFC 4034 6.1): the apex, every owner name, every delegation point. */
    private List<Name> chain(Name zone) {
        TreeSet<Name> names = new TreeSet<>();
        names.add(zone);
        for (Name owner : records.keySet()) {
            if (zoneOf(owner).map(zone::equals).orElse(false)) {
                names.add(owner);
            }
        }
        for (Name apex : apexes) {
            if (parentZone(apex).map(zone::equals).orElse(false)) {
                names.add(apex);
            }
        }
        return new ArrayList<>(names);
    }

    private NSECRecord nsec(Name zone, Name owner) {
        List<Name> chain = chain(zone);
        int index = chain.indexOf(owner);
        Name next = chain.get((index + 1) % chain.size());
        Set<Integer> types = new TreeSet<>();
        if (owner.equals(zone)) {
            types.add(Type.SOA);
            types.add(Type.DNSKEY);
            owned(owner, zone).forEach(r -> types.add(r.getType()));
        } else if (apexes.contains(owner)) {
            types.add(Type.NS); // a delegation point: the parent holds NS (and DS when the child is signed)
            if (signed.containsKey(owner)) {
                types.add(Type.DS);
            }
        } else {
            owned(owner, zone).forEach(r -> types.add(r.getType()));
        }
        types.add(Type.NSEC);
        types.add(Type.RRSIG);
        return new NSECRecord(owner, DClass.IN, ttlSeconds, next, types.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Name predecessor(List<Name> chain, Name name) {
        Name before = chain.get(chain.size() - 1);
        for (Name candidate : chain) {
            if (candidate.compareTo(name) < 0) {
                before = candidate;
            }
        }
        return before;
    }

    private static boolean hasDescendantIn(List<Name> chain, Name name) {
        return chain.stream().anyMatch(n -> !n.equals(name) && n.subdomain(name));
    }

    /** The records served for {@code name}: stored ones, plus SOA and DNSKEY at the apex of a signed zone. */
    private List<Record> owned(Name name, Name zone) {
        List<Record> owned = new ArrayList<>(records.getOrDefault(name, List.of()));
        if (name.equals(zone) && signed.containsKey(zone)) {
            owned.add(soa(zone));
            signed.get(zone).dnskeys().rrs().forEach(owned::add);
        }
        return owned;
    }

    /** @param asked the name being answered: its bogus or expired switch applies to every signature of the answer */
    private void addRRset(Message response, RRset set, int section, Name zone, boolean dnssec, Name asked) {
        set.rrs().forEach(r -> response.addRecord(r, section));
        DnssecZoneKeys keys = signed.get(zone);
        if (dnssec && keys != null) {
            Instant now = signatureClock.instant();
            // the switches break the data of a name, never the zone's keys (DNSKEY) or its delegation (DS)
            boolean keyData = set.getType() == Type.DNSKEY || set.getType() == Type.DS;
            boolean stale = !keyData && (expired.contains(set.getName()) || expired.contains(asked));
            // valid for a month around now (tests move their clocks by hours); "expired" ended a week ago
            Instant inception = now.minus(stale ? Duration.ofDays(30) : Duration.ofDays(1));
            Instant expiration = stale ? now.minus(Duration.ofDays(7)) : now.plus(Duration.ofDays(30));
            response.addRecord(keys.sign(set, inception, expiration,
                !keyData && (bogus.contains(set.getName()) || bogus.contains(asked))), section);
        }
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
        for (Name apex : apexes) {
            if (!apex.equals(name) && apex.subdomain(name)) {
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

    /** The zone of this server that delegates {@code apex}: the closest zone strictly above it. */
    private Optional<Name> parentZone(Name apex) {
        return apex.labels() <= 1 ? Optional.empty() : zoneOf(new Name(apex, 1));
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
