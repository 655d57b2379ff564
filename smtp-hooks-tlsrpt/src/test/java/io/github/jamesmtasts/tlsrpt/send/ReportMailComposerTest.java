package io.github.jamesmtasts.tlsrpt.send;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.BodyPart;
import javax.mail.Message;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.report.ReportFileName;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.report.ReportJsonReader;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;

class ReportMailComposerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:17:00Z");
    private static final Pattern SUBJECT =
        Pattern.compile("Report Domain: (\\S+) Submitter: (\\S+) Report-ID: <([^>@]+)@([^>]+)>");

    private final TlsReport report = ReportFixtures.sampleReport();

    private byte[] composed() throws Exception {
        MimeMessage composed = new ReportMailComposer(new SettableClock(NOW), Optional.empty()).compose(ReportFixtures.IDENTITY,
            ReportFixtures.DOMAIN, report, new InternetAddress("tlsrpt-sender@sender.test"),
            new InternetAddress("tlsrpt@reports.enforce.test"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        composed.writeTo(bytes);
        return bytes.toByteArray();
    }

    private MimeMessage composedAndReparsed() throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(composed()));
    }

    @Test
    void reportTypeShouldBeQuotedAsInTheRfcExample() throws Exception {
        // RFC 8460 5.3 writes report-type="tlsrpt"; javax.mail would write report-type=tlsrpt.
        String unfolded = new String(composed(), java.nio.charset.StandardCharsets.US_ASCII).replace("\r\n\t", " ")
            .replace("\r\n ", " ");

        assertThat(unfolded).containsPattern("(?m)^Content-Type: multipart/report; report-type=\"tlsrpt\";\\s*boundary=\"");
        assertThat(composedAndReparsed().getContentType()).contains("report-type=\"tlsrpt\"");
        assertThat(((javax.mail.Multipart) composedAndReparsed().getContent()).getCount()).isEqualTo(2);
    }

    @Test
    void attachmentNameShouldBeOneQuotedParameterNotRfc2231Continuations() throws Exception {
        String raw = new String(composed(), java.nio.charset.StandardCharsets.US_ASCII);
        String name = ReportFileName.of("sender.test", "enforce.test", report);

        assertThat(raw).contains("filename=\"" + name + "\"", "name=\"" + name + "\"").doesNotContain("filename*");
    }

    @Test
    void composedMailShouldCarryTheRfc8460Headers() throws Exception {
        MimeMessage mail = composedAndReparsed();
        String messageId = "<" + report.reportId() + "@sender.test>";

        assertThat(mail.getHeader("TLS-Report-Domain", null)).isEqualTo("enforce.test");
        assertThat(mail.getHeader("TLS-Report-Submitter", null)).isEqualTo("sender.test");
        assertThat(mail.getSubject()).isEqualTo("Report Domain: enforce.test Submitter: sender.test Report-ID: " + messageId);
        assertThat(mail.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        assertThat(mail.getHeader("TLS-Required", null)).isEqualTo("No");
        assertThat(mail.getMessageID()).isEqualTo(messageId);
        assertThat(mail.getHeader("MIME-Version", null)).isEqualTo("1.0");
        assertThat(mail.getFrom()).containsExactly(new InternetAddress("tlsrpt-sender@sender.test"));
        assertThat(mail.getRecipients(Message.RecipientType.TO)).containsExactly(new InternetAddress("tlsrpt@reports.enforce.test"));
        assertThat(mail.getSentDate().toInstant()).isEqualTo(NOW);
    }

    @Test
    void composedMailShouldBeAMultipartReportWithTheGzippedJson() throws Exception {
        MimeMessage mail = composedAndReparsed();

        TlsReport attached = assertTlsRptMail(mail);

        assertThat(attached).isEqualTo(report);
        BodyPart attachment = ((Multipart) mail.getContent()).getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo(ReportFileName.of("sender.test", "enforce.test", report));
        assertThat(((MimeBodyPart) attachment).getEncoding()).isEqualTo("base64");
        BodyPart text = ((Multipart) mail.getContent()).getBodyPart(0);
        assertThat((String) text.getContent()).contains("sender.test", "enforce.test", "5326 successful", "103 failed");
    }

    @Test
    void googlesRealReportMailShouldPassTheSameStructuralChecks() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/tlsrpt/samples/tlsrpt-rs--google1.eml")) {
            MimeMessage google = new MimeMessage(Session.getInstance(new Properties()), in);

            TlsReport attached = assertTlsRptMail(google);

            assertThat(attached.organizationName()).isEqualTo("Google Inc.");
        }
    }

    /** RFC 8460 5.3, checked the same way for our mails and real ones; returns the attached report. */
    private static TlsReport assertTlsRptMail(MimeMessage mail) throws Exception {
        ContentType type = new ContentType(mail.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("tlsrpt");
        Matcher subject = SUBJECT.matcher(mail.getSubject());
        assertThat(subject.matches()).as("subject %s", mail.getSubject()).isTrue();
        assertThat(mail.getHeader("TLS-Report-Domain", null)).isEqualTo(subject.group(1));
        assertThat(mail.getHeader("TLS-Report-Submitter", null)).isEqualTo(subject.group(2));
        Multipart parts = (Multipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(new ContentType(parts.getBodyPart(0).getContentType()).getBaseType()).isEqualTo("text/plain");
        BodyPart attachment = parts.getBodyPart(1);
        assertThat(new ContentType(attachment.getContentType()).getBaseType()).isEqualTo("application/tlsrpt+gzip");
        assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
        String[] name = attachment.getFileName().split("!");
        assertThat(name).hasSize(5);
        assertThat(name[0]).isEqualTo(subject.group(2));
        assertThat(name[1]).isEqualTo(subject.group(1));
        assertThat(name[4]).matches("[A-Za-z0-9]+\\.json\\.gz");
        TlsReport report;
        try (InputStream gzip = attachment.getInputStream()) {
            report = ReportJsonReader.readGzip(gzip.readAllBytes());
        }
        assertThat(Long.parseLong(name[2])).isEqualTo(report.dateRange().start().getEpochSecond());
        assertThat(Long.parseLong(name[3])).isEqualTo(report.dateRange().end().getEpochSecond());
        assertThat(report.policies()).allSatisfy(p -> assertThat(p.policy().policyDomain()).isEqualTo(subject.group(1)));
        return report;
    }
}
