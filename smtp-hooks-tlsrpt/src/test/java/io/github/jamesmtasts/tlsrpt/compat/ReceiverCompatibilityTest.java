package io.github.jamesmtasts.tlsrpt.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import javax.activation.DataHandler;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.dkim.DkimReportSigner;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;
import io.github.jamesmtasts.tlsrpt.report.TlsReportBuilder;
import io.github.jamesmtasts.tlsrpt.send.ReportMailComposer;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.TestDkim;

/**
 * Our report mails fed to the parsing rules of the tools report receivers run ({@link ReceiverRules}); real reports
 * from Google and Stalwart's fixture pass the same rules (so the rules are not stricter than the tools), and broken
 * mails fail them (so the rules can fail). The table in docs/tls-rpt.md summarises the rules.
 */
class ReceiverCompatibilityTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:17:00Z");

    /** Every shape our builder produces: session failures with IPv6 and IPv4, a policy fetch failure, no policy. */
    private static TlsReport richReport() {
        Map<FailureDetails, Long> fetch = new LinkedHashMap<>();
        fetch.put(FailureDetails.builder(ResultType.STS_POLICY_FETCH_ERROR)
            .failureReasonCode("HTTP 503 from mta-sts.enforce.test").build(), 4L);
        // Recorded before this version as prose in additional-information: reported as failure-reason-code.
        fetch.put(FailureDetails.builder(ResultType.STS_WEBPKI_INVALID)
            .additionalInformation("certificate of mta-sts.enforce.test expired").build(), 1L);
        return TlsReportBuilder.stableIds().build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN,
            List.of(ReportFixtures.stsWithFailures(), PolicyAggregate.of(ReportFixtures.stsPolicy(), 0, fetch),
                ReportFixtures.noPolicy()));
    }

    private static byte[] ourMail(TlsReport report) throws Exception {
        MimeMessage mail = new ReportMailComposer(new SettableClock(NOW), Optional.of(DkimReportSigner.of(
            ReportFixtures.IDENTITY.submitterDomain(), "tlsrpt", TestDkim.privateKey())))
            .compose(ReportFixtures.IDENTITY, ReportFixtures.DOMAIN, report,
                new InternetAddress("tlsrpt-noreply@" + ReportFixtures.IDENTITY.submitterDomain()),
                new InternetAddress("tlsrpt@reports.enforce.test"));
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mail.writeTo(raw);
        return raw.toByteArray();
    }

    static Stream<Arguments> ourMails() throws Exception {
        TlsReport full = richReport();
        return Stream.of(
            Arguments.of("full-day report, DKIM-signed", ourMail(full)),
            Arguments.of("partial-day resend (own report-id)", ourMail(TlsReportBuilder.partial(full, NOW))),
            Arguments.of("sample report of the fixtures", ourMail(ReportFixtures.sampleReport())));
    }

    static Stream<Arguments> realMails() {
        return Stream.of(
            Arguments.of("Google (tlsrpt-rs fixture google1.eml)", ReportFixtures.resource("/tlsrpt/samples/tlsrpt-rs--google1.eml")),
            Arguments.of("Stalwart fixture rpt01.eml", ReportFixtures.resource("/tlsrpt/samples/stalwart-mail-auth--rpt01.eml")));
    }

    private static List<String> allRules(byte[] mail) throws Exception {
        List<String> violations = new ArrayList<>();
        violations.addAll(ReceiverRules.parsedmarc(mail));
        violations.addAll(ReceiverRules.mox(mail));
        violations.addAll(ReceiverRules.stalwart(mail));
        violations.addAll(ReceiverRules.dmarcReportViewer(mail));
        return violations;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ourMails")
    void ourMailShouldBeAcceptedByEveryReceiversParser(String shape, byte[] mail) throws Exception {
        assertThat(allRules(mail)).as(shape).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realMails")
    void realReportMailsShouldPassTheSameRules(String source, byte[] mail) throws Exception {
        // Controls: the rules accept what the tools accept in the wild.
        assertThat(ReceiverRules.parsedmarc(mail)).as(source).isEmpty();
        assertThat(ReceiverRules.mox(mail)).as(source).isEmpty();
        assertThat(ReceiverRules.stalwart(mail)).as(source).isEmpty();
    }

    @Test
    void ourMailShouldCarryWhatEveryParserKeysOn() throws Exception {
        String raw = new String(ourMail(richReport()), StandardCharsets.US_ASCII).replaceAll("\\r\\n[ \\t]+", " ");

        // mox: multipart/report with report-type tlsrpt; parsedmarc, mox, dmarc-report-viewer: the media type;
        // Stalwart: the media type, else a .gz file name.
        assertThat(raw).contains("Content-Type: multipart/report; report-type=\"tlsrpt\";",
            "Content-Type: application/tlsrpt+gzip; name=\"", ".json.gz\"",
            "TLS-Report-Domain: enforce.test", "TLS-Report-Submitter: " + ReportFixtures.IDENTITY.submitterDomain());
        // RFC 8460 4.4: prose never in additional-information, whatever was stored.
        assertThat(raw).doesNotContain("application/octet-stream");
    }

    @Test
    void brokenMailsShouldFailTheRules() throws Exception {
        // Negative controls: the rules can fail.
        byte[] ours = ourMail(richReport());
        String raw = new String(ours, StandardCharsets.ISO_8859_1);
        String generic = raw.replaceAll("application/tlsrpt\\+gzip;(\\s*)name=", "application/octet-stream;$1name=");
        assertThat(generic).isNotEqualTo(raw);
        byte[] genericType = generic.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ReceiverRules.parsedmarc(genericType)).isNotEmpty();
        assertThat(ReceiverRules.mox(genericType)).isNotEmpty();
        assertThat(ReceiverRules.dmarcReportViewer(genericType)).isNotEmpty();
        // Stalwart falls back to the .json.gz file name.
        assertThat(ReceiverRules.stalwart(genericType)).isEmpty();

        byte[] rpt03 = mailWithJson(ReportFixtures.resource("/tlsrpt/samples/stalwart-mail-auth--rpt03.json"));
        assertThat(ReceiverRules.parsedmarc(rpt03)).anyMatch(v -> v.contains("policy"));
        assertThat(ReceiverRules.dmarcReportViewer(rpt03)).anyMatch(v -> v.contains("unknown policy-type"));
        byte[] stringMxHost = mailWithJson(ReportFixtures.resource("/tlsrpt/samples/parsedmarc--rfc8460.json"));
        assertThat(ReceiverRules.mox(stringMxHost)).anyMatch(v -> v.contains("mx-host is not an array"));
    }

    private static byte[] mailWithJson(byte[] json) throws Exception {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(json);
        }
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()));
        MimeMultipart multipart = new MimeMultipart("report");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("report");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(gzip.toByteArray(), "application/tlsrpt+gzip")));
        attachment.setFileName("x!y!1!2!id.json.gz");
        multipart.addBodyPart(text);
        multipart.addBodyPart(attachment);
        mail.setContent(multipart);
        mail.setHeader("Content-Type", "multipart/report; report-type=\"tlsrpt\"; boundary=\""
            + new javax.mail.internet.ContentType(multipart.getContentType()).getParameter("boundary") + "\"");
        mail.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mail.writeTo(raw);
        return raw.toByteArray();
    }
}
