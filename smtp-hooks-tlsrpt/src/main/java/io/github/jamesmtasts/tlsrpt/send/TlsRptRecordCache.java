package io.github.jamesmtasts.tlsrpt.send;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.discover.ReportUri;
import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.discover.TlsRptRecord;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;

/**
 * The {@code _smtp._tls} records (RFC 8460 3) of one report day's policy domains, looked up once per day and domain
 * rather than at every scheduler pass. A temporary DNS failure is not kept: the next pass asks again. Thread-safe.
 */
final class TlsRptRecordCache {

    private static final Logger LOGGER = LoggerFactory.getLogger(TlsRptRecordCache.class);

    private final TlsRptDiscovery discovery;
    private final int maxDestinations;
    private final Map<LocalDate, Map<String, TxtRecordOutcome<TlsRptRecord>>> records = new ConcurrentHashMap<>();

    /** @param maxDestinations design H5: how many rua destinations of a record get reports */
    TlsRptRecordCache(TlsRptDiscovery discovery, int maxDestinations) {
        this.discovery = Objects.requireNonNull(discovery);
        this.maxDestinations = maxDestinations;
    }

    /** The record of {@code policyDomain} for the reports of {@code day}: cached, or looked up now. */
    TxtRecordOutcome<TlsRptRecord> lookup(LocalDate day, String policyDomain) {
        Map<String, TxtRecordOutcome<TlsRptRecord>> ofDay = records.computeIfAbsent(day, d -> new ConcurrentHashMap<>());
        TxtRecordOutcome<TlsRptRecord> cached = ofDay.get(policyDomain);
        if (cached != null) {
            return cached;
        }
        TxtRecordOutcome<TlsRptRecord> outcome = discovery.discover(policyDomain);
        if (outcome.kind() != TxtRecordOutcome.Kind.DNS_ERROR) {
            ofDay.put(policyDomain, outcome);
        }
        int count = outcome.record().map(r -> r.reportUris().size()).orElse(0);
        if (count > maxDestinations) {
            // Logged when looked up (once a day), not at every pass.
            LOGGER.warn("TLS-RPT record of {} lists {} rua destinations; reports go to the first {} only, the others"
                + " are skipped (maxDestinations)", policyDomain, count, maxDestinations);
        }
        return outcome;
    }

    /** Drops the cached record of one domain and day, so that the next lookup asks DNS (an operator's resend). */
    void forget(LocalDate day, String policyDomain) {
        Map<String, TxtRecordOutcome<TlsRptRecord>> ofDay = records.get(day);
        if (ofDay != null) {
            ofDay.remove(policyDomain);
        }
    }

    /** Drops the cached records of the days before {@code day}. */
    void forgetBefore(LocalDate day) {
        records.keySet().removeIf(d -> d.isBefore(day));
    }

    /** Design H5: the first {@code maxDestinations} rua of a valid record, in the record's order. */
    List<ReportUri> destinations(TxtRecordOutcome<TlsRptRecord> outcome) {
        List<ReportUri> all = outcome.record().orElseThrow(() -> new IllegalArgumentException(
            "no valid TLS-RPT record: " + outcome)).reportUris();
        return all.size() <= maxDestinations ? all : all.subList(0, maxDestinations);
    }
}
