package io.github.jamesmtasts.tlsrpt.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/** Builds one day's report for one policy domain from the aggregated counters (RFC 8460 4). */
public final class TlsReportBuilder {

    private TlsReportBuilder() {
    }

    /**
     * Report ids derived from (submitter, policy domain, day) instead of chance: every node and every retry of the
     * same day's report uses the same id, so a collector that receives it twice (a lease expired mid-send, a resend)
     * can tell it is one report. Still unique: there is one report per submitter, domain and day.
     */
    public static TlsReportBuilder stableIds() {
        return new TlsReportBuilder();
    }

    /**
     * @param day the UTC day the counters belong to
     * @param aggregates that day's counters for {@code policyDomain}, one per distinct policy block (duplicates merge)
     * @throws IllegalArgumentException when there is nothing to report or an aggregate is for another domain
     */
    public TlsReport build(ReportIdentity identity, LocalDate day, String policyDomain, List<PolicyAggregate> aggregates) {
        String domain = DomainName.keyOf(policyDomain);
        if (aggregates.isEmpty()) {
            throw new IllegalArgumentException("no sessions recorded for " + domain + " on " + day + ": nothing to report");
        }
        Map<ReportPolicy, Merged> merged = new LinkedHashMap<>();
        for (PolicyAggregate aggregate : aggregates) {
            if (!aggregate.policy().policyDomain().equals(domain)) {
                throw new IllegalArgumentException("counters for " + aggregate.policy().policyDomain()
                    + " cannot go into the report for " + domain);
            }
            // Design H5: the recipient's own policy text goes back to it bounded.
            merged.computeIfAbsent(PolicyBlockBounds.bounded(aggregate.policy()), p -> new Merged()).add(aggregate);
        }
        List<PolicyReport> policies = merged.entrySet().stream()
            .map(e -> PolicyReport.of(PolicyAggregate.of(e.getKey(), e.getValue().successes, e.getValue().failures)))
            .collect(Collectors.toList());
        return TlsReport.of(identity.organizationName(), DateRange.utcDay(day), Optional.of(identity.contactInfo()),
            reportId(identity, day, domain), policies);
    }

    /**
     * The same report sent before its day is over (an operator's preview): RFC 8460 4.4 wants report-ids unique, and a
     * collector that drops duplicates by id must still take the full day's report later, so a partial report gets
     * its own id, {@code <day id>-partial-<asOf as yyyyMMdd'T'HHmmssSSS'Z'>}.
     */
    public static TlsReport partial(TlsReport report, Instant asOf) {
        return TlsReport.of(report.organizationName(), report.dateRange(), report.contactInfo(),
            report.reportId() + "-partial-" + PARTIAL_STAMP.format(asOf), report.policies());
    }

    private static final DateTimeFormatter PARTIAL_STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * RFC 8460 4.4: unique, and usable as the left part of a msg-id (5.3 Message-ID {@code <report-id@submitter>}):
     * dot-atom-text only, so no ':' and no empty labels. Shape: {@code 2026-11-22_example.com_0123456789abcdef}.
     */
    private String reportId(ReportIdentity identity, LocalDate day, String domain) {
        String safeDomain = Arrays.stream(domain.split("\\."))
            .filter(label -> !label.isEmpty())
            .map(label -> label.replaceAll("[^A-Za-z0-9!#$%&'*+/=?^_`{|}~-]", "-"))
            .collect(Collectors.joining("."));
        long unique = stableHash(identity.submitterDomain() + "|" + domain + "|" + day);
        return day + "_" + safeDomain + "_" + String.format(Locale.ROOT, "%016x", unique);
    }

    private static long stableHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * RFC 8460 4.4: {@code additional-information} is a URI; error text belongs in {@code failure-reason-code} (as
     * Google and mox write it). Rows stored before that rule (and any writer that still puts prose there) are
     * reported the right way: the text moves to the reason code, after an existing code.
     */
    static FailureDetails uriOnly(FailureDetails details) {
        Optional<String> info = details.additionalInformation();
        if (info.isEmpty() || isAbsoluteUri(info.get())) {
            return details;
        }
        String reason = details.failureReasonCode().map(code -> code + ": " + info.get()).orElse(info.get());
        return details.toBuilder().additionalInformation(null).failureReasonCode(reason).build();
    }

    private static boolean isAbsoluteUri(String text) {
        if (text.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && uri.getScheme().matches("[A-Za-z][A-Za-z0-9+.-]*");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static final class Merged {
        private long successes;
        private final Map<FailureDetails, Long> failures = new LinkedHashMap<>();

        void add(PolicyAggregate aggregate) {
            successes += aggregate.successCount();
            aggregate.failures().forEach((details, count) -> failures.merge(uriOnly(details), count, Long::sum));
        }
    }
}
