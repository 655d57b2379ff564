package io.github.jamesmtasts.tlsrpt.send;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.github.jamesmtasts.tlsrpt.discover.ReportUri;
import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.discover.TlsRptRecord;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;
import io.github.jamesmtasts.tlsrpt.report.TlsReportBuilder;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.store.SendClaim;
import io.github.jamesmtasts.tlsrpt.store.SendState;

/**
 * Builds and sends one UTC day's reports (RFC 8460 4-5): for a policy domain with a valid {@code _smtp._tls} record
 * ({@link TlsRptRecordCache}), each {@code rua} is claimed in the shared store (so one node of a cluster sends it), sent
 * by mail or HTTPS ({@link ReportDispatcher}), then settled ({@link ClaimSettler}). Also the on-demand API behind
 * WebAdmin. Destinations are sent on a {@link DestinationPool}, each claimed, sent and settled by its own task, so that
 * one slow collector does not hold up the others. Thread-safe; timing is the caller's business (see
 * {@link ReportScheduler}).
 */
public final class DailyReports {

    private final ResultStore store;
    private final DispatchSettings settings;
    private final Clock clock;
    private final LoopLiveness liveness;
    private final DestinationPool pool;
    private final TlsRptRecordCache records;
    private final ReportDispatcher dispatcher;
    private final ClaimSettler settler;
    private final TlsReportBuilder builder = TlsReportBuilder.stableIds();

    /**
     * @param liveness where a domain or destination that fails unexpectedly is logged, counted and skipped (design
     *                 H1); the scheduler's, so that its health check sees skipped items
     * @param pool     where destinations are sent; its owner shuts it down
     */
    public DailyReports(ResultStore store, TlsRptDiscovery discovery, ReportMailer mailer, HttpsReportSender https,
                        DispatchSettings settings, Clock clock, LoopLiveness liveness, DestinationPool pool) {
        this.pool = Objects.requireNonNull(pool);
        this.liveness = Objects.requireNonNull(liveness);
        this.store = Objects.requireNonNull(store);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.records = new TlsRptRecordCache(discovery, settings.maxDestinations());
        this.dispatcher = new ReportDispatcher(mailer, https, settings, clock);
        this.settler = new ClaimSettler(store, settings.retrySchedule(), clock);
    }

    /** The report as it would be sent; empty when no session was recorded for the domain that day. */
    public Optional<TlsReport> build(LocalDate day, String policyDomain) {
        List<PolicyAggregate> aggregates = store.aggregates(day, policyDomain);
        if (aggregates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(builder.build(settings.identity(), day, policyDomain, aggregates));
    }

    /** Where failed domains and destinations are logged, counted and reported (design H1). */
    public LoopLiveness liveness() {
        return liveness;
    }

    /** Policy domains with sessions on {@code day}. */
    public List<String> policyDomains(LocalDate day) {
        return store.policyDomains(day);
    }

    /** Sends every due destination of every domain of {@code day}; returns what was done. */
    public List<DispatchResult> sendDue(LocalDate day) {
        return sendDue(day, domain -> true);
    }

    /** Sends the due destinations of one domain: those nobody sent or gave up yet and whose retry time has come. */
    public List<DispatchResult> sendDue(LocalDate day, String policyDomain) {
        return sendDue(day, policyDomain::equals);
    }

    /** Sends the due destinations of the domains of {@code day} that {@code domainFilter} selects. */
    public List<DispatchResult> sendDue(LocalDate day, Predicate<String> domainFilter) {
        List<String> domains = store.policyDomains(day).stream().filter(domainFilter).collect(Collectors.toList());
        if (domains.isEmpty()) {
            return List.of();
        }
        Map<String, Set<String>> finished = store.sendStates(day).stream()
            .filter(s -> s.status() == SendState.Status.SENT || s.status() == SendState.Status.GAVE_UP)
            .collect(Collectors.groupingBy(SendState::policyDomain, Collectors.mapping(SendState::rua, Collectors.toSet())));
        List<Future<Optional<DispatchResult>>> pending = new ArrayList<>();
        int submitted = 0;
        for (String domain : domains) {
            try {
                submitted += submitDomain(day, domain, finished.getOrDefault(domain, Set.of()), pending);
            } catch (Throwable e) {
                // Design H1: one domain's trouble (a store error, a parser's StackOverflowError on a hostile record)
                // must not stop the others; the next pass retries it.
                liveness.itemFailed("TLS-RPT report of " + day + " for " + domain, e);
            }
        }
        return pool.await(pending, submitted, "TLS-RPT reports of " + day).stream()
            .flatMap(Optional::stream).flatMap(Optional::stream).collect(Collectors.toList());
    }

    /** Queues the due destinations of one domain on the pool; returns how many. */
    private int submitDomain(LocalDate day, String policyDomain, Set<String> finished,
                             List<Future<Optional<DispatchResult>>> pending) {
        TxtRecordOutcome<TlsRptRecord> record = records.lookup(day, policyDomain);
        if (record.record().isEmpty()) {
            pending.add(CompletableFuture.completedFuture(Optional.of(recordProblem(day, policyDomain, record))));
            return 0;
        }
        DomainReport report = new DomainReport(day, policyDomain);
        int submitted = 0;
        for (ReportUri uri : records.destinations(record)) {
            if (!finished.contains(uri.original())) {
                pending.add(pool.submit(() -> sendDestination(day, policyDomain, uri, report)));
                submitted++;
            }
        }
        return submitted;
    }

    /** One destination, claimed, sent and settled on its own; empty when another node holds it or nothing is left. */
    private Optional<DispatchResult> sendDestination(LocalDate day, String policyDomain, ReportUri uri,
                                                     DomainReport report) {
        try {
            // Claimed when a thread takes it, not when queued: time in the queue never eats into the lease, which
            // therefore only has to cover the send itself (DispatchSettings.checkLease).
            Optional<SendClaim> claim = store.claim(day, policyDomain, uri.original(), settings.nodeId(),
                settings.lease(), clock.instant());
            if (claim.isEmpty()) {
                return Optional.empty();
            }
            Optional<TlsReport> built = report.get();
            if (built.isEmpty()) {
                // Counters vanished (retention purge) between listing and building: nothing left to send.
                store.giveUp(claim.get(), clock.instant(), "no sessions recorded any more");
                return Optional.empty();
            }
            return Optional.of(settler.settle(claim.get(), guardedSend(day, uri, policyDomain, built.get())));
        } catch (Throwable e) {
            // Design H1: a store error on one destination must not stop the others; the next pass retries it.
            liveness.itemFailed("TLS-RPT report of " + day + " for " + policyDomain + " to " + uri.original(), e);
            return Optional.empty();
        }
    }

    /** One domain's report, built once by whichever of its destinations gets a claim first. */
    private final class DomainReport {
        private final LocalDate day;
        private final String policyDomain;
        private boolean built;
        private Optional<TlsReport> report = Optional.empty();

        DomainReport(LocalDate day, String policyDomain) {
            this.day = day;
            this.policyDomain = policyDomain;
        }

        synchronized Optional<TlsReport> get() {
            if (!built) {
                report = build(day, policyDomain);
                built = true;
            }
            return report;
        }
    }

    /**
     * Operator resend: sends the day's report to every destination now, ignoring and not touching claims.
     * Collectors see the same report-id as the first time and can discard the duplicate.
     */
    public List<DispatchResult> resend(LocalDate day, String policyDomain) {
        return resend(day, policyDomain, report -> report);
    }

    /**
     * Operator preview of a day not over yet: like {@link #resend}, with a report-id of its own
     * ({@link TlsReportBuilder#partial}) so that collectors dropping duplicates still take the full day's report.
     */
    public List<DispatchResult> resendPartial(LocalDate day, String policyDomain) {
        return resend(day, policyDomain, report -> TlsReportBuilder.partial(report, clock.instant()));
    }

    private List<DispatchResult> resend(LocalDate day, String policyDomain, UnaryOperator<TlsReport> variant) {
        try {
            return resendDomain(day, policyDomain, variant);
        } catch (Throwable e) {
            // Design H1: callers resend domain after domain (WebAdmin); one that blows up is reported, not fatal.
            liveness.itemFailed("TLS-RPT resend of " + day + " for " + policyDomain, e);
            return List.of(DispatchResult.forDomain(day, policyDomain, DispatchResult.Kind.FAILED,
                Optional.of("could not be processed: " + e)));
        }
    }

    private List<DispatchResult> resendDomain(LocalDate day, String policyDomain, UnaryOperator<TlsReport> variant) {
        // An operator resending probably just fixed the record: look it up afresh.
        records.forget(day, policyDomain);
        TxtRecordOutcome<TlsRptRecord> record = records.lookup(day, policyDomain);
        if (record.record().isEmpty()) {
            return List.of(recordProblem(day, policyDomain, record));
        }
        List<ReportUri> destinations = records.destinations(record);
        Optional<TlsReport> report = build(day, policyDomain).map(variant);
        if (report.isEmpty()) {
            return List.of();
        }
        List<Future<DispatchResult>> pending = new ArrayList<>();
        for (ReportUri uri : destinations) {
            pending.add(pool.submit(() -> {
                SendOutcome outcome = guardedSend(day, uri, policyDomain, report.get());
                return DispatchResult.forDestination(day, policyDomain, uri.original(),
                    outcome.isDelivered() ? DispatchResult.Kind.SENT : DispatchResult.Kind.FAILED, outcome.reason());
            }));
        }
        List<Optional<DispatchResult>> done = pool.await(pending, pending.size(),
            "TLS-RPT resend of " + day + " for " + policyDomain);
        List<DispatchResult> results = new ArrayList<>();
        for (int i = 0; i < destinations.size(); i++) {
            String rua = destinations.get(i).original();
            results.add(done.get(i).orElseGet(() -> DispatchResult.forDestination(day, policyDomain, rua,
                DispatchResult.Kind.FAILED, Optional.of("no outcome within the wait bound (collector"
                    + " still answering, or send threads busy or shutting down); resend again"))));
        }
        return results;
    }

    /** Drops cached DNS answers of days before {@code day}. */
    public void forgetBefore(LocalDate day) {
        records.forgetBefore(day);
    }

    /** Deletes the counters and send states of the days before {@code day}; returns how many rows went. */
    public long purgeBefore(LocalDate day) {
        return store.purgeBefore(day);
    }

    /** Design H1: an unexpected failure of one destination becomes a failed (retried) send, not a lost domain. */
    private SendOutcome guardedSend(LocalDate day, ReportUri uri, String policyDomain, TlsReport report) {
        try {
            return dispatcher.send(uri, policyDomain, report);
        } catch (Throwable e) {
            liveness.itemFailed("TLS-RPT report of " + day + " for " + policyDomain + " to " + uri.original(), e);
            return SendOutcome.failed("sending to " + uri.original() + " failed unexpectedly: " + e);
        }
    }

    private static DispatchResult recordProblem(LocalDate day, String policyDomain, TxtRecordOutcome<TlsRptRecord> outcome) {
        switch (outcome.kind()) {
            case ABSENT:
                return DispatchResult.forDomain(day, policyDomain, DispatchResult.Kind.NO_RECORD, Optional.empty());
            case DNS_ERROR:
                return DispatchResult.forDomain(day, policyDomain, DispatchResult.Kind.DNS_ERROR, outcome.reason());
            case INVALID:
            case MULTIPLE:
            default:
                return DispatchResult.forDomain(day, policyDomain, DispatchResult.Kind.BAD_RECORD, outcome.reason());
        }
    }
}
