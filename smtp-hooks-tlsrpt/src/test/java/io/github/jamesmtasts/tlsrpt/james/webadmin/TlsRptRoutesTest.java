package io.github.jamesmtasts.tlsrpt.james.webadmin;

import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.send.DestinationPool;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.james.ConnectedReportService;
import io.github.jamesmtasts.tlsrpt.james.TlsRptReportService;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.report.ReportJson;
import io.github.jamesmtasts.tlsrpt.send.DailyReports;
import io.github.jamesmtasts.tlsrpt.send.DispatchSettings;
import io.github.jamesmtasts.tlsrpt.send.HttpsReportSender;
import io.github.jamesmtasts.tlsrpt.send.RetrySchedule;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;

class TlsRptRoutesTest {

    // One send thread: destinations go in submission order, as in production with sendThreads = 1.
    private final DestinationPool pool = DestinationPool.of(1, Duration.ofMinutes(2), "test-send");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final String DOMAIN = "enforce.test";
    private static final String QUIET_DOMAIN = "no-record.test";
    private static final ReportPolicy POLICY = ReportPolicy.sts(DOMAIN,
        List.of("version: STSv1", "mode: enforce", "mx: *.enforce.test", "max_age: 86400"), List.of("*.enforce.test"));
    private static final FailureDetails EXPIRED = FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
        .sendingMtaIp("192.0.2.1").receivingMxHostname("mx1.enforce.test").receivingIp("198.51.100.9").build();

    @TempDir
    Path folder;

    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create();
    private final List<MimeMessage> mailed = new CopyOnWriteArrayList<>();
    private Database database;
    private ResultStore store;
    private DailyReports reports;
    private WebAdminTestServer webAdmin;

    @BeforeEach
    void start() throws Exception {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(POLICY), 40L, SessionResult.failure(POLICY, EXPIRED), 2L,
            SessionResult.success(ReportPolicy.noPolicyFound(QUIET_DOMAIN)), 5L));
        dns.withRecords("_smtp._tls." + DOMAIN, "v=TLSRPTv1; rua=mailto:tlsrpt@reports.enforce.test");
        DispatchSettings settings = DispatchSettings.of(ReportFixtures.IDENTITY,
            new InternetAddress("tlsrpt-noreply@sender.test"), "node-a", DispatchSettings.DEFAULT_LEASE,
            RetrySchedule.rfc8460());
        // Only mailto: destinations here: the HTTPS sender is never used and may connect nowhere.
        HttpsReportSender https = new HttpsReportSender(Duration.ofSeconds(5), TrustAnchors.jvmDefault(),
            GuardedConnector.of(AddressGuard.allowing(List.of())));
        reports = new DailyReports(store, new TlsRptDiscovery(dns), mailed::add, https, settings, CLOCK,
            LoopLiveness.of("tlsrpt-reports", CLOCK, Duration.ofDays(1)), pool);
        webAdmin = WebAdminTestServer.start(new TlsRptRoutes(store, ConnectedReportService.of(reports), CLOCK));
    }

    @AfterEach
    void stop() {
        webAdmin.close();
        pool.close();
        database.close();
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void dayShouldListSessionCountersPerPolicyDomain() throws Exception {
        HttpResponse<String> response = webAdmin.get("/tlsrpt/days/2026-11-22");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(JSON.readTree("{\"day\":\"2026-11-22\",\"successfulSessions\":45,"
            + "\"failedSessions\":2,\"policyDomains\":["
            + "{\"policyDomain\":\"enforce.test\",\"successfulSessions\":40,\"failedSessions\":2},"
            + "{\"policyDomain\":\"no-record.test\",\"successfulSessions\":5,\"failedSessions\":0}],\"reports\":[]}"));
    }

    @Test
    void dayShouldAcceptTodayAndYesterdayInUtc() throws Exception {
        HttpResponse<String> today = webAdmin.get("/tlsrpt/days/today");
        HttpResponse<String> yesterday = webAdmin.get("/tlsrpt/days/yesterday");

        assertThat(today.statusCode()).isEqualTo(200);
        assertThat(body(today).get("day").asText()).isEqualTo("2026-11-23");
        assertThat(body(today).get("policyDomains")).isEmpty();
        assertThat(body(yesterday).get("day").asText()).isEqualTo("2026-11-22");
        assertThat(body(yesterday).get("successfulSessions").asLong()).isEqualTo(45);
    }

    static Stream<Arguments> badDays() {
        return Stream.of(
            Arguments.of("day-month-year order", "22-11-2026"),
            Arguments.of("month 13", "2026-13-01"),
            Arguments.of("February 30", "2026-02-30"),
            Arguments.of("no dashes", "20261122"),
            Arguments.of("a word", "tomorrow"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDays")
    void badDayShouldAnswer400NamingTheFormat(String name, String day) throws Exception {
        HttpResponse<String> counters = webAdmin.get("/tlsrpt/days/" + day);
        HttpResponse<String> report = webAdmin.get("/tlsrpt/days/" + day + "/reports/" + DOMAIN);
        HttpResponse<String> send = webAdmin.post("/tlsrpt/days/" + day + "/reports?action=send");

        for (HttpResponse<String> response : List.of(counters, report, send)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(body(response).get("type").asText()).isEqualTo("InvalidArgument");
            assertThat(body(response).get("message").asText()).contains("'" + day + "' is not a day", "yyyy-mm-dd");
        }
    }

    @Test
    void reportShouldBeTheExactJsonThatIsSent() throws Exception {
        HttpResponse<String> response = webAdmin.get("/tlsrpt/days/2026-11-22/reports/Enforce.Test.");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
            .startsWith("application/json"));
        assertThat(response.body()).isEqualTo(
            new String(ReportJson.toJson(reports.build(DAY, DOMAIN).orElseThrow()), StandardCharsets.UTF_8));
        JsonNode report = body(response);
        assertThat(report.get("date-range").get("start-datetime").asText()).isEqualTo("2026-11-22T00:00:00Z");
        assertThat(report.get("policies").get(0).get("summary").get("total-failure-session-count").asLong()).isEqualTo(2);
    }

    @Test
    void reportOfADomainWithoutSessionsShouldAnswer404() throws Exception {
        HttpResponse<String> response = webAdmin.get("/tlsrpt/days/2026-11-22/reports/unknown.test");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(body(response).get("type").asText()).isEqualTo("notFound");
        assertThat(body(response).get("message").asText()).contains("unknown.test", "2026-11-22");
    }

    @Test
    void reportOfAnInvalidDomainShouldAnswer400() throws Exception {
        HttpResponse<String> response = webAdmin.get("/tlsrpt/days/2026-11-22/reports/bad_domain..test");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response).get("message").asText()).contains("bad_domain..test", "not a domain name");
    }

    @Test
    void sendShouldMailEachDueReportOnceAndShowItsState() throws Exception {
        HttpResponse<String> first = webAdmin.post("/tlsrpt/days/2026-11-22/reports?action=send");
        HttpResponse<String> second = webAdmin.post("/tlsrpt/days/2026-11-22/reports?action=send");
        HttpResponse<String> day = webAdmin.get("/tlsrpt/days/2026-11-22");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(body(first)).isEqualTo(JSON.readTree("{\"day\":\"2026-11-22\",\"action\":\"send\",\"results\":["
            + "{\"policyDomain\":\"enforce.test\",\"rua\":\"mailto:tlsrpt@reports.enforce.test\",\"result\":\"sent\"},"
            + "{\"policyDomain\":\"no-record.test\",\"result\":\"no-record\"}]}"));
        assertThat(body(second).get("results")).hasSize(1);
        assertThat(mailed).hasSize(1);
        JsonNode state = body(day).get("reports").get(0);
        assertThat(state.get("policyDomain").asText()).isEqualTo(DOMAIN);
        assertThat(state.get("status").asText()).isEqualTo("sent");
        assertThat(state.get("attempts").asInt()).isEqualTo(1);
        assertThat(state.get("finishedAt").asText()).isEqualTo("2026-11-23T10:00:00Z");
    }

    @Test
    void resendShouldMailAgainWhatWasAlreadySent() throws Exception {
        webAdmin.post("/tlsrpt/days/2026-11-22/reports?action=send");

        HttpResponse<String> response = webAdmin.post("/tlsrpt/days/2026-11-22/reports?action=resend&domain=enforce.test");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).get("results")).singleElement().satisfies(r ->
            assertThat(r.get("result").asText()).isEqualTo("sent"));
        assertThat(mailed).hasSize(2);
    }

    @Test
    void partialResendShouldMailTodaysSessionsSoFarWithoutMarkingTheReportSent() throws Exception {
        LocalDate today = LocalDate.of(2026, 11, 23);
        store.add(today, Map.of(SessionResult.success(POLICY), 3L, SessionResult.failure(POLICY, EXPIRED), 1L));

        HttpResponse<String> response = webAdmin.post("/tlsrpt/days/today/reports?action=resend&partial=true");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).get("results")).singleElement().satisfies(r -> {
            assertThat(r.get("policyDomain").asText()).isEqualTo(DOMAIN);
            assertThat(r.get("result").asText()).isEqualTo("sent");
        });
        assertThat(mailed).hasSize(1);
        // Its own report-id: a collector that drops duplicates must still take the full day's report later.
        String dayId = body(webAdmin.get("/tlsrpt/days/today/reports/" + DOMAIN)).get("report-id").asText();
        assertThat(mailed.get(0).getHeader("Message-ID", null)).startsWith("<" + dayId + "-partial-");
        // A resend touches no send state: the complete report of the day is still due after midnight.
        assertThat(store.sendStates(today)).isEmpty();
    }

    @Test
    void resendOfADomainWithoutSessionsShouldAnswer404() throws Exception {
        HttpResponse<String> response = webAdmin.post("/tlsrpt/days/2026-11-22/reports?action=resend&domain=other.test");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(mailed).isEmpty();
    }

    static Stream<Arguments> badSends() {
        return Stream.of(
            Arguments.of("missing action", "/tlsrpt/days/2026-11-22/reports", "action query parameter is missing"),
            Arguments.of("unknown action", "/tlsrpt/days/2026-11-22/reports?action=build", "unknown action 'build'"),
            Arguments.of("RFC 8460 4.4 today is not over", "/tlsrpt/days/2026-11-23/reports?action=send",
                "can be sent from 2026-11-24T00:00:00Z"),
            Arguments.of("RFC 8460 4.4 future day", "/tlsrpt/days/2027-01-01/reports?action=resend",
                "covers the whole UTC day"),
            Arguments.of("domain with send", "/tlsrpt/days/2026-11-22/reports?action=send&domain=enforce.test",
                "only applies to action=resend"),
            Arguments.of("invalid domain", "/tlsrpt/days/2026-11-22/reports?action=resend&domain=1.2.3.4",
                "is not a domain name"),
            Arguments.of("RFC 8460 4.4 today names the partial option", "/tlsrpt/days/today/reports?action=resend",
                "action=resend&partial=true"),
            Arguments.of("partial with send", "/tlsrpt/days/today/reports?action=send&partial=true",
                "only applies to action=resend of today"),
            Arguments.of("partial of a past day", "/tlsrpt/days/2026-11-22/reports?action=resend&partial=true",
                "only applies to action=resend of today"),
            Arguments.of("partial of a future day", "/tlsrpt/days/2027-01-01/reports?action=resend&partial=true",
                "only applies to action=resend of today"),
            Arguments.of("partial not a boolean", "/tlsrpt/days/today/reports?action=resend&partial=yes",
                "partial='yes' is invalid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSends")
    void badSendShouldAnswer400AndSendNothing(String name, String path, String message) throws Exception {
        HttpResponse<String> response = webAdmin.post(path);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response).get("message").asText()).contains(message);
        assertThat(mailed).isEmpty();
        assertThat(store.sendStates(DAY)).isEmpty();
    }

    @Test
    void reportsShouldAnswer409WhenTheReportMailetIsNotRunning() throws Exception {
        try (WebAdminTestServer unconfigured = WebAdminTestServer.start(
            new TlsRptRoutes(store, new TlsRptReportService(), CLOCK))) {
            HttpResponse<String> report = unconfigured.get("/tlsrpt/days/2026-11-22/reports/enforce.test");
            HttpResponse<String> send = unconfigured.post("/tlsrpt/days/2026-11-22/reports?action=send");
            HttpResponse<String> counters = unconfigured.get("/tlsrpt/days/2026-11-22");

            assertThat(report.statusCode()).isEqualTo(409);
            assertThat(body(report).get("message").asText()).contains("TlsRptReportMailet");
            assertThat(send.statusCode()).isEqualTo(409);
            assertThat(counters.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void databaseFailureShouldAnswer503WithoutStackTrace() throws Exception {
        database.close();

        HttpResponse<String> response = webAdmin.get("/tlsrpt/days/2026-11-22");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(body(response).get("type").asText()).isEqualTo("ServerError");
        assertThat(response.body()).doesNotContain("\tat ", "Exception:");
    }
}
