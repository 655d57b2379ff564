package io.github.jamesmtasts.mtasts.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * MX and address lookups through dnsjava with one given resolver and no cache: the same resolver the TXT lookup uses,
 * so that a check with {@code --dns} sees one consistent view of DNS.
 */
public final class MxLookup {

    private final Resolver resolver;

    public MxLookup(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver);
    }

    /** RFC 5321 5.1: MX hosts in preference order; without MX records the domain itself, with its addresses. */
    public MxLookupResult lookup(String domain) {
        Lookup lookup = lookup(domain, Type.MX);
        Record[] answers = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL:
                return found(domain, answers);
            case Lookup.TYPE_NOT_FOUND:
                return MxLookupResult.implicit(host(domain, 0));
            case Lookup.HOST_NOT_FOUND:
                return MxLookupResult.noDomain(domain);
            default:
                return MxLookupResult.dnsError("DNS lookup of MX " + domain + " failed: " + lookup.getErrorString());
        }
    }

    private MxLookupResult found(String domain, Record[] answers) {
        List<MXRecord> records = new ArrayList<>();
        for (Record record : answers) {
            if (record instanceof MXRecord) {
                records.add((MXRecord) record);
            }
        }
        if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
            return MxLookupResult.nullMx(domain);
        }
        records.sort(Comparator.comparingInt(MXRecord::getPriority).thenComparing(r -> name(r.getTarget())));
        List<MxHost> hosts = new ArrayList<>();
        for (MXRecord record : records) {
            hosts.add(host(name(record.getTarget()), record.getPriority()));
        }
        return MxLookupResult.found(hosts);
    }

    private MxHost host(String name, int preference) {
        List<InetAddress> addresses = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup lookup = lookup(name, type);
            Record[] answers = lookup.run();
            int result = lookup.getResult();
            if (result == Lookup.SUCCESSFUL) {
                for (Record record : answers) {
                    if (record instanceof ARecord) {
                        addresses.add(((ARecord) record).getAddress());
                    } else if (record instanceof AAAARecord) {
                        addresses.add(((AAAARecord) record).getAddress());
                    }
                }
            } else if (result != Lookup.TYPE_NOT_FOUND && result != Lookup.HOST_NOT_FOUND) {
                errors.add(Type.string(type) + ": " + lookup.getErrorString());
            }
        }
        if (!addresses.isEmpty()) {
            return MxHost.of(name, preference, addresses);
        }
        return MxHost.unresolved(name, preference, errors.isEmpty() ? name + " has no A or AAAA record"
            : "address lookup of " + name + " failed (" + String.join(", ", errors) + ")");
    }

    private Lookup lookup(String name, int type) {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
        lookup.setResolver(resolver);
        lookup.setCache(null);
        return lookup;
    }

    private static String name(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
