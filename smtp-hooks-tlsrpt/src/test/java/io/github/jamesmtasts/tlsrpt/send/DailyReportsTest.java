package io.github.jamesmtasts.tlsrpt.send;

import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.Multipart;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.report.ReportJsonReader;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

class DailyReportsTest {

    // One send thread: destinations go in submission order, as in production with sendThreads = 1.
    private final DestinationPool pool = DestinationPool.of(1, Duration.ofMinutes(2), "test-send");

    private static final TestPki PKI = TestPki.create("daily reports CA");
    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final String DOMAIN = "enforce.test";
    private static final ReportPolicy POLICY = ReportPolicy.sts(DOMAIN,
        List.of("version: STSv1", "mode: enforce", "mx: *.enforce.test", "max_age: 86400"), List.of("*.enforce.test"));
    private static final FailureDetails EXPIRED = FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
        .sendingMtaIp("192.0.2.1").receivingMxHostname("mx1.enforce.test").receivingIp("198.51.100.9").build();

    @TempDir
    Path folder;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:30:00Z"));
    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create();
    private final RecordingMailer mailer = new RecordingMailer();
    private Database database;
    private ResultStore store;
    private HttpsCollector collector;

    @BeforeEach
    void openStore() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(POLICY), 40L, SessionResult.failure(POLICY, EXPIRED), 2L));
    }

    @AfterEach
    void close() {
        if (collector != null) {
            collector.close();
        }
        pool.close();
        database.close();
    }

    private DailyReports reports(String nodeId) throws Exception {
        DispatchSettings settings = DispatchSettings.of(ReportFixtures.IDENTITY,
            new InternetAddress("tlsrpt-noreply@sender.test"), nodeId, DispatchSettings.DEFAULT_LEASE,
            RetrySchedule.rfc8460());
        HttpsReportSender https = new HttpsReportSender(Duration.ofSeconds(20), TrustAnchors.of(PKI.trustStore()),
            GuardedConnector.of(AddressGuard.allowing(List.of(Cidr.parse("127.0.0.0/8")))));
        return new DailyReports(store, new TlsRptDiscovery(dns), mailer, https, settings, clock,
            LoopLiveness.of("tlsrpt-reports", clock, Duration.ofDays(1)), pool);
    }

    private void publishRecord(Integer... collectorAnswers) throws Exception {
        collector = new HttpsCollector(PKI, collectorAnswers);
        dns.withRecords("_smtp._tls." + DOMAIN,
            "v=TLSRPTv1; rua=mailto:tlsrpt@reports.enforce.test, " + collector.url("/v1/tlsrpt"));
    }

    private static List<DispatchResult.Kind> kinds(List<DispatchResult> results) {
        return results.stream().map(DispatchResult::kind).collect(Collectors.toList());
    }

    private static TlsReport attachedReport(MimeMessage mail) throws Exception {
        try (InputStream gzip = ((Multipart) mail.getContent()).getBodyPart(1).getInputStream()) {
            return ReportJsonReader.readGzip(gzip.readAllBytes());
        }
    }

    @Test
    void sendDueShouldMailAndPostTheSameReportOnceToEachRua() throws Exception {
        publishRecord(200);
        DailyReports reports = reports("node-a");

        List<DispatchResult> first = reports.sendDue(DAY);
        List<DispatchResult> second = reports.sendDue(DAY);

        assertThat(kinds(first)).containsExactly(DispatchResult.Kind.SENT, DispatchResult.Kind.SENT);
        assertThat(second).isEmpty();
        assertThat(mailer.submitted()).singleElement().satisfies(mail -> {
            assertThat(mail.getHeader("TLS-Report-Domain", null)).isEqualTo(DOMAIN);
            assertThat(mail.getAllRecipients()).containsExactly(new InternetAddress("tlsrpt@reports.enforce.test"));
        });
        TlsReport mailed = attachedReport(mailer.submitted().get(0));
        assertThat(collector.received()).singleElement()
            .satisfies(r -> assertThat(ReportJsonReader.readGzip(r.body)).isEqualTo(mailed));
        assertThat(mailed.policies()).singleElement().satisfies(p -> {
            assertThat(p.totalSuccessfulSessionCount()).isEqualTo(40);
            assertThat(p.failureDetails()).isEqualTo(Map.of(EXPIRED, 2L));
        });
    }

    @Test
    void failedPostShouldBeRetriedOnlyAfterItsBackOff() throws Exception {
        publishRecord(500, 200);
        DailyReports reports = reports("node-a");

        List<DispatchResult> first = reports.sendDue(DAY);
        List<DispatchResult> tooEarly = reports.sendDue(DAY);
        clock.advance(Duration.ofMinutes(5));
        List<DispatchResult> retried = reports.sendDue(DAY);

        assertThat(kinds(first)).containsExactly(DispatchResult.Kind.SENT, DispatchResult.Kind.RETRY_SCHEDULED);
        assertThat(tooEarly).isEmpty();
        assertThat(kinds(retried)).containsExactly(DispatchResult.Kind.SENT);
        assertThat(collector.received()).hasSize(2);
        assertThat(mailer.submitted()).hasSize(1);
    }

    @Test
    void refusedMailShouldBeRetriedIndependentlyOfTheHttpsRua() throws Exception {
        publishRecord(200);
        mailer.refuseNext(1);
        DailyReports reports = reports("node-a");

        List<DispatchResult> first = reports.sendDue(DAY);
        clock.advance(Duration.ofMinutes(5));
        List<DispatchResult> retried = reports.sendDue(DAY);

        assertThat(kinds(first)).containsExactly(DispatchResult.Kind.RETRY_SCHEDULED, DispatchResult.Kind.SENT);
        assertThat(retried).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(DispatchResult.Kind.SENT);
            assertThat(r.rua()).contains("mailto:tlsrpt@reports.enforce.test");
        });
        assertThat(collector.received()).hasSize(1);
    }

    @Test
    void destinationShouldBeGivenUpAfterTwentyFourHoursOfFailures() throws Exception {
        publishRecord(500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
        dns.withRecords("_smtp._tls." + DOMAIN, "v=TLSRPTv1; rua=" + collector.url("/"));
        DailyReports reports = reports("node-a");

        Instant firstAttempt = clock.instant();
        DispatchResult.Kind last = DispatchResult.Kind.RETRY_SCHEDULED;
        int passes = 0;
        while (last == DispatchResult.Kind.RETRY_SCHEDULED && passes < 20) {
            last = reports.sendDue(DAY).get(0).kind();
            store.sendStates(DAY).get(0).nextAttempt().ifPresent(clock::set);
            passes++;
        }

        assertThat(last).isEqualTo(DispatchResult.Kind.GAVE_UP);
        assertThat(collector.received()).hasSize(10);
        assertThat(clock.instant()).isEqualTo(firstAttempt.plus(Duration.ofHours(24)));
        assertThat(reports.sendDue(DAY)).isEmpty();
    }

    @Test
    void twoNodesShouldSendEachReportOnce() throws Exception {
        publishRecord(200, 200);
        DailyReports nodeA = reports("node-a");
        DailyReports nodeB = reports("node-b");

        List<DispatchResult> a = nodeA.sendDue(DAY);
        List<DispatchResult> b = nodeB.sendDue(DAY);

        assertThat(a.size() + b.size()).isEqualTo(2);
        assertThat(collector.received()).hasSize(1);
        assertThat(mailer.submitted()).hasSize(1);
    }

    @Test
    void domainWithoutRecordShouldGetNoReportAndNotBeLookedUpAgain() throws Exception {
        DailyReports reports = reports("node-a");

        List<DispatchResult> first = reports.sendDue(DAY);
        reports.sendDue(DAY);

        assertThat(kinds(first)).containsExactly(DispatchResult.Kind.NO_RECORD);
        assertThat(dns.lookupCount("_smtp._tls." + DOMAIN)).isEqualTo(1);
        assertThat(mailer.submitted()).isEmpty();
    }

    @Test
    void temporaryDnsFailureShouldBeLookedUpAgainOnTheNextPass() throws Exception {
        dns.withTemporaryFailure("_smtp._tls." + DOMAIN, "SERVFAIL");
        DailyReports reports = reports("node-a");

        List<DispatchResult> first = reports.sendDue(DAY);
        dns.withRecords("_smtp._tls." + DOMAIN, "v=TLSRPTv1; rua=mailto:tlsrpt@reports.enforce.test");
        List<DispatchResult> second = reports.sendDue(DAY);

        assertThat(kinds(first)).containsExactly(DispatchResult.Kind.DNS_ERROR);
        assertThat(kinds(second)).containsExactly(DispatchResult.Kind.SENT);
    }

    @Test
    void invalidRecordShouldBeReportedWithItsReason() throws Exception {
        dns.withRecords("_smtp._tls." + DOMAIN, "v=TLSRPTv1; rua=ftp://reports.enforce.test/");

        List<DispatchResult> results = reports("node-a").sendDue(DAY);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(DispatchResult.Kind.BAD_RECORD);
            assertThat(r.detail()).get().asString().contains("_smtp._tls.enforce.test");
        });
    }

    @Test
    void buildShouldReturnTheReportOnDemandAndNothingForAQuietDay() throws Exception {
        DailyReports reports = reports("node-a");

        assertThat(reports.build(DAY, DOMAIN)).get().satisfies(r -> assertThat(r.reportId()).startsWith("2026-11-22_"));
        assertThat(reports.build(DAY.minusDays(1), DOMAIN)).isEmpty();
    }

    @Test
    void resendShouldSendAgainAfterTheReportWasSent() throws Exception {
        publishRecord(200, 200);
        DailyReports reports = reports("node-a");
        reports.sendDue(DAY);

        List<DispatchResult> again = reports.resend(DAY, DOMAIN);

        assertThat(kinds(again)).containsExactly(DispatchResult.Kind.SENT, DispatchResult.Kind.SENT);
        assertThat(collector.received()).hasSize(2);
        assertThat(attachedReport(mailer.submitted().get(1))).isEqualTo(attachedReport(mailer.submitted().get(0)));
    }

    @Test
    void partialResendShouldCarryItsOwnReportIdWhileTheFullDayKeepsTheStableOne() throws Exception {
        publishRecord(200, 200);
        DailyReports reports = reports("node-a");
        String dayId = reports.build(DAY, DOMAIN).get().reportId();

        reports.resendPartial(DAY, DOMAIN);
        reports.resend(DAY, DOMAIN);

        assertThat(attachedReport(mailer.submitted().get(0)).reportId()).startsWith(dayId + "-partial-");
        assertThat(mailer.submitted().get(0).getSubject()).contains("Report-ID: <" + dayId + "-partial-");
        assertThat(attachedReport(mailer.submitted().get(1)).reportId()).isEqualTo(dayId);
        assertThat(store.sendStates(DAY)).isEmpty();
    }

    @Test
    void failedResendShouldBeReportedAsFailedNotScheduled() throws Exception {
        publishRecord(503);
        mailer.refuseNext(1);

        List<DispatchResult> results = reports("node-a").resend(DAY, DOMAIN);

        assertThat(kinds(results)).containsExactly(DispatchResult.Kind.FAILED, DispatchResult.Kind.FAILED);
        assertThat(store.sendStates(DAY)).isEmpty();
    }
}
