package io.github.jamesmtasts.mtasts.dane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * RFC 7672 2.2 on DNSSEC-validated answers: the MX RRset of the recipient domain (2.2.1; without MX records the
 * domain itself is the implicit MX), then per MX host its A and AAAA records (2.2.2) and, only when those are secure,
 * its TLSA RRset at {@code _25._tcp.<host>} (2.2.3). Insecure answers make DANE not apply, bogus or failed ones make
 * the domain or the host unusable for now ({@code dnssec-invalid}); nothing insecure or bogus is ever taken as
 * secure, and DNS trouble never throws.
 *
 * <p>CNAMEs (RFC 7672 2.2.3): when the host's secure address answer came through a CNAME chain, TLSA records are
 * looked up at the expanded name first (the TLSA base domain, {@link MxDane#tlsaBase()}), then, on a secure denial
 * there, at the MX host name. A CNAME at a TLSA owner name is followed by the validator and does not change the base.
 *
 * <p>Bounds (H2): at most {@link #MAX_MX_HOSTS} MX hosts per domain (more are ignored in preference order), at most
 * {@link #MAX_TLSA_RECORDS} TLSA records per RRset (usable records are kept first), every query bounded by the query
 * timeout and the whole lookup by {@code deadline}: hosts whose lookups did not finish by then are unusable.
 */
public final class ValidatingDaneLookup implements DaneLookup {
    public static final int MAX_MX_HOSTS = 10;
    public static final int MAX_TLSA_RECORDS = 20;
    /** RFC 7672 2.2.3: SMTP's TLSA records live at {@code _25._tcp.<host>} (RFC 6698 3). */
    static final String TLSA_PREFIX = "_25._tcp";

    private static final Logger LOG = LoggerFactory.getLogger(ValidatingDaneLookup.class);

    private final SecureResolver resolver;
    private final DnssecTrustAnchors anchors;
    private final Duration deadline;

    ValidatingDaneLookup(SecureResolver resolver, DnssecTrustAnchors anchors, Duration deadline) {
        this.resolver = Objects.requireNonNull(resolver);
        this.anchors = Objects.requireNonNull(anchors);
        this.deadline = Objects.requireNonNull(deadline);
    }

    @Override
    public DaneDomain lookup(DomainName recipientDomain) {
        try {
            return lookupWithin(recipientDomain, System.nanoTime() + deadline.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DaneDomain.unusable(recipientDomain, ResultType.DNSSEC_INVALID, "interrupted during DNSSEC lookups");
        } catch (RuntimeException e) {
            // a bug or a library surprise must defer the mail (temporary), never fail open or kill delivery
            LOG.warn("DANE lookup of {} failed", recipientDomain, e);
            return DaneDomain.unusable(recipientDomain, ResultType.DNSSEC_INVALID, "DNSSEC lookup failed: " + e);
        }
    }

    /**
     * The validator's self-test for health checks: the DNSKEY RRset of every trust anchor's zone must validate as
     * secure (which needs upstream resolvers that pass DNSSEC records). The first answer that is not secure, else the
     * last secure one. Answers come from the cache like any other, so a health check that calls this often costs
     * one validation per {@code dane.maxTtl} (or per {@code dane.failureTtl} while it fails).
     */
    public SecureAnswer validatorHealth() {
        SecureAnswer last = null;
        for (Name zone : anchors.zones()) {
            long end = System.nanoTime() + deadline.toNanos();
            SecureAnswer answer;
            try {
                answer = await(resolver.query(zone, Type.DNSKEY), end).orElse(SecureAnswer.failed(zone, Type.DNSKEY,
                    DnssecStatus.INDETERMINATE, "no answer within " + deadline));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return SecureAnswer.failed(zone, Type.DNSKEY, DnssecStatus.INDETERMINATE, "interrupted");
            }
            if (answer.status() != DnssecStatus.SECURE) {
                return answer;
            }
            last = answer;
        }
        return last;
    }

    private DaneDomain lookupWithin(DomainName domain, long end) throws InterruptedException {
        Optional<SecureAnswer> mx = await(resolver.query(name(domain), Type.MX), end);
        if (mx.isEmpty()) {
            return DaneDomain.unusable(domain, ResultType.DNSSEC_INVALID, "the MX lookup did not finish within "
                + deadline);
        }
        switch (mx.get().status()) {
            case SECURE:
                break;
            case INSECURE:
                return DaneDomain.notApplicable(domain, "insecure MX RRset (RFC 7672 2.2.1)");
            default:
                return DaneDomain.unusable(domain, ResultType.DNSSEC_INVALID, "MX lookup " + mx.get().describe());
        }
        List<DomainName> hosts;
        if (mx.get().records().isEmpty()) {
            if (mx.get().nameError()) {
                return DaneDomain.notApplicable(domain, "the domain does not exist (secure NXDOMAIN)");
            }
            hosts = List.of(domain); // RFC 7672 2.2.1, RFC 5321 5.1: the implicit MX
        } else {
            hosts = mxHosts(domain, mx.get().records());
            if (hosts.isEmpty()) {
                return DaneDomain.notApplicable(domain, "no MX host to deliver to (null MX, RFC 7505)");
            }
        }
        Map<DomainName, CompletableFuture<MxDane>> pending = new LinkedHashMap<>();
        for (DomainName host : hosts) {
            pending.put(host, hostState(host));
        }
        await(CompletableFuture.allOf(pending.values().toArray(new CompletableFuture<?>[0])), end);
        List<MxDane> states = new ArrayList<>();
        for (Map.Entry<DomainName, CompletableFuture<MxDane>> host : pending.entrySet()) {
            states.add(host.getValue().getNow(MxDane.unusable(host.getKey(), ResultType.DNSSEC_INVALID,
                "DNSSEC lookups did not finish within " + deadline)));
        }
        return DaneDomain.secure(domain, states);
    }

    /** The MX targets in preference order (stable for equal preferences), without the null MX, at most MAX_MX_HOSTS. */
    private static List<DomainName> mxHosts(DomainName domain, List<Record> records) {
        List<MXRecord> byPreference = new ArrayList<>();
        for (Record record : records) {
            byPreference.add((MXRecord) record);
        }
        byPreference.sort(Comparator.comparingInt(MXRecord::getPriority));
        List<DomainName> hosts = new ArrayList<>();
        for (MXRecord record : byPreference) {
            if (record.getTarget().equals(Name.root)) {
                continue; // RFC 7505: "." is no host
            }
            Optional<DomainName> host = DomainName.of(record.getTarget().toString(true));
            if (host.isEmpty()) {
                LOG.debug("DANE: MX target {} of {} is no host name; ignored", record.getTarget(), domain);
                continue;
            }
            if (!hosts.contains(host.get())) {
                hosts.add(host.get());
            }
            if (hosts.size() == MAX_MX_HOSTS) {
                break;
            }
        }
        return hosts;
    }

    private CompletableFuture<MxDane> hostState(DomainName host) {
        Name name = name(host);
        CompletableFuture<SecureAnswer> a = resolver.query(name, Type.A);
        CompletableFuture<SecureAnswer> aaaa = resolver.query(name, Type.AAAA);
        return a.thenCombine(aaaa, (v4, v6) -> addressVerdict(host, v4, v6)
                .map(CompletableFuture::completedFuture)
                .orElseGet(() -> tlsa(host, expanded(host, v4.records().isEmpty() ? v6 : v4))))
            .thenCompose(verdict -> verdict)
            .exceptionally(failure -> MxDane.unusable(host, ResultType.DNSSEC_INVALID, "DNSSEC lookup failed: "
                + failure));
    }

    /** RFC 7672 2.2.2: only secure address records lead to the TLSA lookup; empty means "go on". */
    private static Optional<MxDane> addressVerdict(DomainName host, SecureAnswer v4, SecureAnswer v6) {
        for (SecureAnswer answer : List.of(v4, v6)) {
            if (answer.status() == DnssecStatus.BOGUS || answer.status() == DnssecStatus.INDETERMINATE) {
                return Optional.of(MxDane.unusable(host, ResultType.DNSSEC_INVALID, "address lookup "
                    + answer.describe()));
            }
        }
        for (SecureAnswer answer : List.of(v4, v6)) {
            if (answer.status() == DnssecStatus.INSECURE) {
                return Optional.of(MxDane.notApplicable(host, "insecure address records (RFC 7672 2.2.2)"));
            }
        }
        if (v4.records().isEmpty() && v6.records().isEmpty()) {
            return Optional.of(MxDane.notApplicable(host, "no address records"));
        }
        return Optional.empty();
    }

    /** The CNAME-expanded name of the host when its (secure) address answer came through a CNAME chain. */
    private static Optional<DomainName> expanded(DomainName host, SecureAnswer addresses) {
        if (addresses.owner().equals(addresses.name())) {
            return Optional.empty();
        }
        return DomainName.of(addresses.owner().toString(true)).filter(target -> !target.equals(host));
    }

    /**
     * RFC 7672 2.2.3: with a secure CNAME chain, TLSA records at the expanded name first (it is then the TLSA base
     * domain); when there are none there (a secure denial), those at the MX host name.
     */
    private CompletableFuture<MxDane> tlsa(DomainName host, Optional<DomainName> expanded) {
        if (expanded.isEmpty()) {
            return tlsaAnswer(host).thenApply(answer -> tlsaVerdict(host, host, answer));
        }
        return tlsaAnswer(expanded.get()).thenCompose(answer -> {
            boolean none = answer.map(a -> a.status() == DnssecStatus.SECURE && a.records().isEmpty()).orElse(true);
            return none ? tlsaAnswer(host).thenApply(original -> tlsaVerdict(host, host, original))
                : CompletableFuture.completedFuture(tlsaVerdict(host, expanded.get(), answer));
        });
    }

    /** The TLSA answer at {@code _25._tcp.<base>}; empty when that name would be too long to exist. */
    private CompletableFuture<Optional<SecureAnswer>> tlsaAnswer(DomainName base) {
        Optional<DomainName> owner = base.prefixed(TLSA_PREFIX);
        if (owner.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return resolver.query(name(owner.get()), Type.TLSA).thenApply(Optional::of);
    }

    private static MxDane tlsaVerdict(DomainName host, DomainName base, Optional<SecureAnswer> tlsa) {
        if (tlsa.isEmpty()) {
            return MxDane.notApplicable(host, "the TLSA name " + TLSA_PREFIX + "." + base + " is too long to exist");
        }
        SecureAnswer answer = tlsa.get();
        switch (answer.status()) {
            case SECURE:
                break;
            case INSECURE:
                return MxDane.notApplicable(host, "insecure TLSA RRset (RFC 7672 2.2.3)");
            default:
                return MxDane.unusable(host, ResultType.DNSSEC_INVALID, "TLSA lookup " + answer.describe());
        }
        if (answer.records().isEmpty()) {
            return MxDane.notApplicable(host, "no TLSA records (secure denial of existence)");
        }
        List<TlsaRecord> records = new ArrayList<>();
        for (Record record : answer.records()) {
            records.add(TlsaRecord.fromDns((TLSARecord) record));
        }
        if (records.size() > MAX_TLSA_RECORDS) {
            // H2: usable records first, so that clipping never turns AUTHENTICATE into ENCRYPT_ONLY
            List<TlsaRecord> usableFirst = new ArrayList<>(records);
            usableFirst.sort(Comparator.comparing(record -> !record.usable()));
            LOG.debug("DANE: {} TLSA records for {}; the first {} (usable first) are used", records.size(), host,
                MAX_TLSA_RECORDS);
            records = usableFirst.subList(0, MAX_TLSA_RECORDS);
        }
        return MxDane.secureTlsa(host, base, records);
    }

    private static <T> Optional<T> await(CompletableFuture<T> future, long endNanos) throws InterruptedException {
        try {
            // empty for allOf's Void, which only waits
            return Optional.ofNullable(future.get(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            // SecureResolver's futures complete normally; a failure here is a bug, reported as no answer
            LOG.warn("DANE: DNSSEC lookup failed", e.getCause());
            return Optional.empty();
        }
    }

    private static Name name(DomainName name) {
        try {
            return Name.fromString(name.asString() + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }

    @Override
    public String toString() {
        return "ValidatingDaneLookup{" + anchors + ", " + resolver + ", deadline " + deadline + "}";
    }
}
