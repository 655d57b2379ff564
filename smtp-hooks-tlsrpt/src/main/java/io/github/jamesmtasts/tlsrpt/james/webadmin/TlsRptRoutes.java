package io.github.jamesmtasts.tlsrpt.james.webadmin;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.james.TlsRptReportService;
import io.github.jamesmtasts.tlsrpt.report.ReportJson;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;
import io.github.jamesmtasts.tlsrpt.send.DispatchResult;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.store.StoreException;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of TLS-RPT (RFC 8460), enabled in {@code webadmin.properties}
 * ({@code extensions.routes=io.github.jamesmtasts.tlsrpt.james.webadmin.TlsRptRoutes}):
 * <ul>
 *   <li>{@code GET /tlsrpt/days/{day}}: session counters per policy domain, and the send state of each report</li>
 *   <li>{@code GET /tlsrpt/days/{day}/reports/{domain}}: the exact RFC 8460 JSON report that is (or would be) sent</li>
 *   <li>{@code POST /tlsrpt/days/{day}/reports?action=send}: send what is due now (never twice to a destination);
 *       {@code action=resend[&domain=d]}: send again to every destination, whatever was sent before;
 *       {@code action=resend&partial=true} on today: send what was recorded so far (a preview, see {@link #PARTIAL})</li>
 * </ul>
 * {@code day} is {@code yyyy-mm-dd} (UTC), {@code today} or {@code yesterday}.
 */
public class TlsRptRoutes implements Routes {

    public static final String BASE_PATH = "/tlsrpt";
    private static final String DAY = ":day";
    private static final String DAY_PATH = BASE_PATH + "/days/" + DAY;
    private static final String REPORTS_PATH = DAY_PATH + "/reports";
    private static final String SEND = "send";
    private static final String RESEND = "resend";
    /**
     * Operator option: {@code action=resend&partial=true} on today sends the sessions recorded so far (a preview for
     * a test collector). Like any resend it touches no send state, so the complete report still goes out after
     * midnight; it carries a report-id of its own (RFC 8460 4.4 unique ids), so a collector that drops duplicates
     * still takes the full day's report.
     */
    private static final String PARTIAL = "partial";

    private static final Logger LOGGER = LoggerFactory.getLogger(TlsRptRoutes.class);

    private final ResultStore store;
    private final TlsRptReportService reports;
    private final Clock clock;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public TlsRptRoutes(ResultStore store, TlsRptReportService reports, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.reports = Objects.requireNonNull(reports);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(DAY_PATH, this::day, json);
        service.get(REPORTS_PATH + "/:domain", this::report);
        service.post(REPORTS_PATH, this::send, json);
    }

    private DayCountersDto day(Request request, Response response) {
        LocalDate day = RequestParameters.day(request, DAY, clock);
        return fromStore(() -> DayCountersDto.of(day, store.summaries(day), store.sendStates(day)));
    }

    private String report(Request request, Response response) {
        LocalDate day = RequestParameters.day(request, DAY, clock);
        String domain = RequestParameters.domain(request, ":domain").asString();
        requireReporting();
        Optional<TlsReport> report = fromStore(() -> reports.build(day, domain));
        if (report.isEmpty()) {
            throw RequestParameters.notFound("no TLS session to " + domain + " was recorded on " + day
                + " (UTC): there is no report");
        }
        // The bytes ReportJson writes into the gzip attachment or HTTPS body (RFC 8460 5.3/5.4), unchanged.
        return new String(ReportJson.toJson(report.get()), StandardCharsets.UTF_8);
    }

    private SendReportsDto send(Request request, Response response) {
        String action = RequestParameters.action(request, Set.of(SEND, RESEND));
        LocalDate day = RequestParameters.day(request, DAY, clock);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        boolean partial = RequestParameters.booleanParameter(request, PARTIAL).orElse(false);
        if (partial && !(action.equals(RESEND) && day.equals(today))) {
            throw RequestParameters.badRequest(PARTIAL + "=true only applies to action=resend of today (" + today
                + "): it sends the sessions recorded so far without marking the report sent");
        }
        if (!day.isBefore(today) && !partial) {
            // RFC 8460 4.4: a report covers a whole UTC day; sending it early would mark it sent with part of the day.
            throw RequestParameters.badRequest("the report of " + day + " covers the whole UTC day and can be sent"
                + " from " + day.plusDays(1) + "T00:00:00Z on; choose an earlier day (or, for today, action=resend&"
                + PARTIAL + "=true sends what was recorded so far)");
        }
        Optional<String> domain = Optional.ofNullable(request.queryParams("domain"));
        if (domain.isPresent() && action.equals(SEND)) {
            throw RequestParameters.badRequest("domain= only applies to action=resend; action=send sends every due"
                + " report of the day");
        }
        Optional<String> onlyDomain = domain.map(d -> RequestParameters.parseDomain(d).orElseThrow(() ->
            RequestParameters.badRequest("domain='" + d + "' is not a domain name, e.g. example.com")));
        requireReporting();
        List<DispatchResult> results = fromStore(() -> action.equals(SEND) ? reports.sendDue(day)
            : resend(day, onlyDomain, partial));
        LOGGER.info("WebAdmin {} of the TLS-RPT reports of {}{}{}: {}", action, day, partial ? " (partial day)" : "",
            onlyDomain.map(d -> " for " + d).orElse(""), results);
        return SendReportsDto.of(day, action, results);
    }

    private List<DispatchResult> resend(LocalDate day, Optional<String> onlyDomain, boolean partial) {
        List<String> domains = reports.policyDomains(day);
        if (onlyDomain.isPresent()) {
            if (!domains.contains(onlyDomain.get())) {
                throw RequestParameters.notFound("no TLS session to " + onlyDomain.get() + " was recorded on " + day
                    + " (UTC): there is no report to resend");
            }
            domains = List.of(onlyDomain.get());
        }
        List<DispatchResult> results = new ArrayList<>();
        for (String domain : domains) {
            results.addAll(partial ? reports.resendPartial(day, domain) : reports.resend(day, domain));
        }
        return results;
    }

    private void requireReporting() {
        if (!reports.isConfigured()) {
            throw RequestParameters.conflict("TLS-RPT reporting is not running: add the TlsRptReportMailet to"
                + " mailetcontainer.xml (see james-conf-examples) to build and send reports");
        }
    }

    private static <T> T fromStore(Supplier<T> work) {
        try {
            return work.get();
        } catch (StoreException e) {
            LOGGER.error("WebAdmin TLS-RPT request failed on the database", e);
            throw RequestParameters.unavailable(e.getMessage());
        }
    }
}
