package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.examples.demo.Sandbox;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;

/**
 * TLS-RPT (RFC 8460) through a real James 3.8.1: deliveries by our mailet to an {@code enforce} domain with a bad and
 * a good MX, a {@code testing} domain whose MX has an expired certificate and a domain without policy are counted;
 * the operator sends today's reports so far ({@code POST /tlsrpt/days/today/reports?action=resend&partial=true}, under
 * a report-id of their own);
 * each arrives as a report mail at the loopback MX of the {@code mailto:} rua and as a POST at the loopback HTTPS
 * collector of the {@code https:} rua (allowed and trusted through configuration only). One James boot.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class TlsRptEndToEndTest {
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Pattern REPORT_ATTACHMENT = Pattern.compile(
        "localhost!(enforce|testing|plain)\\.test!\\d+!\\d+![^!]+\\.json\\.gz");

    private static Sandbox sandbox;
    private static JamesServerProcess james;
    private static String sendAnswer;
    private static List<ReceivedMessage> reportMails;

    @BeforeAll
    static void deliverAndSendTodaysReports() throws Exception {
        EndToEnd.avoidUtcMidnight(Duration.ofMinutes(3));
        sandbox = Sandbox.start("127.0.79.");
        james = sandbox.configure(JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(EndToEnd.runDirectory("tlsrpt"))
                .smtp(sandbox.jamesIp(), 0)
                .webAdmin(sandbox.jamesIp(), 0), EndToEnd.dropIn(), EndToEnd.runDirectory("tlsrpt-files"))
            .start();
        EndToEnd.submit(james, "alice@localhost", "bob@" + Sandbox.ENFORCE, "to enforce", "Hello enforce.");
        EndToEnd.submit(james, "alice@localhost", "carol@" + Sandbox.TESTING, "to testing", "Hello testing.");
        EndToEnd.submit(james, "alice@localhost", "dave@" + Sandbox.PLAIN, "to plain", "Hello plain.");
        sandbox.mx(Sandbox.GOOD_ENFORCE_MX).awaitMessages(1, DELIVERY);
        sandbox.mx(Sandbox.TESTING_MX).awaitMessages(1, DELIVERY);
        sandbox.mx(Sandbox.PLAIN_MX).awaitMessages(1, DELIVERY);
        awaitTodaysCounters("\"successfulSessions\":2,\"failedSessions\":2");

        HttpResponse<String> send = james.webAdmin("POST", "/tlsrpt/days/today/reports?action=resend&partial=true", null);
        assertThat(send.statusCode()).as(send.body()).isEqualTo(200);
        sendAnswer = send.body();
        reportMails = sandbox.mx(Sandbox.COLLECTOR_MX).awaitMessages(3, DELIVERY);
    }

    @AfterAll
    static void stop() {
        if (james != null) {
            james.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void sendShouldReportEveryDestinationOfEveryPolicyDomainSent() {
        for (String domain : List.of(Sandbox.ENFORCE, Sandbox.TESTING, Sandbox.PLAIN)) {
            assertThat(sendAnswer).contains("{\"policyDomain\":\"" + domain + "\",\"rua\":\"mailto:" + Sandbox.REPORT_MAILBOX
                + "\",\"result\":\"sent\"}", "{\"policyDomain\":\"" + domain + "\",\"rua\":\"" + Sandbox.COLLECTOR_URL
                + "\",\"result\":\"sent\"}");
        }
    }

    @Test
    void reportMailShouldBeAnRfc8460MultipartReportWithTheGzippedJson() throws Exception {
        ReceivedMessage received = reportMail(Sandbox.ENFORCE);
        MimeMessage mail = ReportArrivals.parse(received);

        assertThat(received.envelopeTo()).containsExactly(Sandbox.REPORT_MAILBOX);
        assertThat(received.tlsProtocol()).isPresent();
        ContentType contentType = new ContentType(mail.getContentType());
        assertThat(contentType.getBaseType()).isEqualTo("multipart/report");
        assertThat(contentType.getParameter("report-type")).isEqualTo("tlsrpt");
        // Written as in the RFC 8460 5.3 example, quoted, and left so by James on the way out.
        assertThat(received.dataAsString().replaceAll("\r\n[ \t]+", " "))
            .contains("Content-Type: multipart/report; report-type=\"tlsrpt\";");
        assertThat(mail.getHeader("TLS-Report-Submitter", null)).isEqualTo("localhost");
        assertThat(mail.getHeader("TLS-Required", null)).isEqualTo("No");
        assertThat(mail.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        assertThat(mail.getSubject()).startsWith("Report Domain: enforce.test Submitter: localhost Report-ID: <");
        BodyPart attachment = attachment(mail);
        assertThat(attachment.getContentType()).startsWith("application/tlsrpt+gzip");
        assertThat(attachment.getFileName()).matches(REPORT_ATTACHMENT).startsWith("localhost!enforce.test!");
    }

    @Test
    void everyReportMailShouldCarryADkimSignatureOfTheSubmitterThatVerifies() throws Exception {
        // RFC 8460 3: checked as a receiver would, with jDKIM's verifier and the key the sandbox DNS publishes.
        assertThat(reportMails).hasSize(3).allSatisfy(received -> {
            assertThat(received.dataAsString()).contains("DKIM-Signature:");
            assertThat(sandbox.verifyDkim(received.data())).singleElement().satisfies(signature -> {
                assertThat(signature.getDToken().toString()).isEqualTo(Sandbox.SUBMITTER);
                assertThat(signature.getSelector().toString()).isEqualTo(Sandbox.DKIM_SELECTOR);
            });
        });
    }

    @Test
    void enforceReportShouldCountTheGoodMxAndTheRefusedMxWithItsResultType() throws Exception {
        String json = reportJson(Sandbox.ENFORCE);

        assertThat(ReportArrivals.number(json, "total-successful-session-count")).isEqualTo(1);
        assertThat(ReportArrivals.number(json, "total-failure-session-count")).isEqualTo(1);
        assertThat(ReportArrivals.text(json, "policy-type")).isEqualTo("sts");
        assertThat(ReportArrivals.text(json, "policy-domain")).isEqualTo(Sandbox.ENFORCE);
        assertThat(json).contains("\"mode: enforce\"", "\"*.enforce.test\"");
        assertThat(ReportArrivals.text(json, "result-type")).isEqualTo("certificate-host-mismatch");
        assertThat(ReportArrivals.text(json, "receiving-mx-hostname")).isEqualTo(Sandbox.BAD_ENFORCE_MX);
        assertThat(ReportArrivals.text(json, "receiving-ip")).isEqualTo(sandbox.ip(26));
        assertThat(ReportArrivals.number(json, "failed-session-count")).isEqualTo(1);
    }

    @Test
    void testingReportShouldCountTheDeliveryDespiteTheExpiredCertificateAsAFailure() throws Exception {
        String json = reportJson(Sandbox.TESTING);

        assertThat(ReportArrivals.number(json, "total-successful-session-count")).isZero();
        assertThat(ReportArrivals.number(json, "total-failure-session-count")).isEqualTo(1);
        assertThat(json).contains("\"mode: testing\"");
        assertThat(ReportArrivals.text(json, "result-type")).isEqualTo("certificate-expired");
        assertThat(ReportArrivals.text(json, "receiving-mx-hostname")).isEqualTo(Sandbox.TESTING_MX);
    }

    @Test
    void noPolicyReportShouldCountTheSuccessfulSession() throws Exception {
        String json = reportJson(Sandbox.PLAIN);

        assertThat(ReportArrivals.text(json, "policy-type")).isEqualTo("no-policy-found");
        assertThat(ReportArrivals.number(json, "total-successful-session-count")).isEqualTo(1);
        assertThat(ReportArrivals.number(json, "total-failure-session-count")).isZero();
        assertThat(json).doesNotContain("failure-details\":[{");
    }

    @Test
    void mailedReportShouldBeTheReportWebAdminShows() throws Exception {
        String mailed = reportJson(Sandbox.ENFORCE);

        HttpResponse<String> shown = james.webAdmin("GET", "/tlsrpt/days/today/reports/" + Sandbox.ENFORCE, null);

        assertThat(shown.statusCode()).isEqualTo(200);
        // A partial-day resend carries a report-id of its own (RFC 8460 4.4 unique ids); the rest is the same report.
        String dayId = ReportArrivals.text(shown.body(), "report-id");
        String mailedId = ReportArrivals.text(mailed, "report-id");
        assertThat(mailedId).startsWith(dayId + "-partial-");
        assertThat(mailed.replace(mailedId, dayId)).isEqualTo(shown.body());
    }

    @Test
    void httpsCollectorShouldReceiveTheSameGzippedReports() throws Exception {
        List<TestHttpsHost.Post> posts = sandbox.https().posts();

        assertThat(posts).hasSize(3).allSatisfy(post -> {
            assertThat(post.host()).isEqualTo(Sandbox.COLLECTOR_HOST);
            assertThat(post.path()).isEqualTo("/tlsrpt");
            assertThat(post.contentType()).isEqualTo("application/tlsrpt+gzip");
        });
        String mailed = reportJson(Sandbox.ENFORCE);
        assertThat(posts).anySatisfy(post -> assertThat(ReportArrivals.json(post)).isEqualTo(mailed));
    }

    @Test
    void reportMailsThemselvesShouldNotBeCounted() {
        // RFC 8460 5.3: report mails SHOULD NOT be recorded themselves (a report about reports would loop).
        HttpResponse<String> today = james.webAdmin("GET", "/tlsrpt/days/today", null);

        assertThat(today.body()).doesNotContain("\"policyDomain\":\"" + Sandbox.COLLECTOR + "\"");
    }

    private static void awaitTodaysCounters(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = james.webAdmin("GET", "/tlsrpt/days/today", null).body();
            if (body.contains(expected)) {
                return;
            }
            Thread.sleep(250); // polling another process: the recorder flushes its counters every second
        }
        throw new AssertionError("GET /tlsrpt/days/today never showed " + expected + "; last answer: " + body
            + "\n" + james.logTail(60));
    }

    private static ReceivedMessage reportMail(String domain) {
        Optional<ReceivedMessage> found = reportMails.stream()
            .filter(m -> m.dataAsString().contains("TLS-Report-Domain: " + domain)).findFirst();
        assertThat(found).as("report mail for " + domain + " among " + reportMails.size()).isPresent();
        return found.get();
    }

    /** The JSON of the report mail for {@code domain}, from its second part (checked to be the only attachment). */
    private static String reportJson(String domain) throws MessagingException, IOException {
        return ReportArrivals.gunzip(attachment(ReportArrivals.parse(reportMail(domain))).getInputStream());
    }

    private static BodyPart attachment(MimeMessage mail) throws MessagingException, IOException {
        MimeMultipart multipart = (MimeMultipart) mail.getContent();
        assertThat(multipart.getCount()).isEqualTo(2);
        assertThat(multipart.getBodyPart(0).getContentType()).startsWith("text/plain");
        return multipart.getBodyPart(1);
    }
}
