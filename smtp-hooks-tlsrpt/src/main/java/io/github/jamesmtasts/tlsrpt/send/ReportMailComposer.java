package io.github.jamesmtasts.tlsrpt.send;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimeUtility;
import javax.mail.util.ByteArrayDataSource;

import io.github.jamesmtasts.tlsrpt.dkim.DkimReportSigner;
import io.github.jamesmtasts.tlsrpt.report.PolicyReport;
import io.github.jamesmtasts.tlsrpt.report.ReportFileName;
import io.github.jamesmtasts.tlsrpt.report.ReportIdentity;
import io.github.jamesmtasts.tlsrpt.report.ReportJson;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;

/** Builds the RFC 8460 5.3 report mail: {@code multipart/report; report-type="tlsrpt"} with the gzipped JSON. */
public final class ReportMailComposer {

    public static final String MEDIA_TYPE = "application/tlsrpt+gzip";

    private final Clock clock;
    private final Session session;
    private final Optional<DkimReportSigner> dkim;

    /** @param dkim empty only when the administrator opted out of signing; signs every composed mail last, so nothing changes it afterwards (RFC 8460 3) */
    public ReportMailComposer(Clock clock, Optional<DkimReportSigner> dkim) {
        this.clock = Objects.requireNonNull(clock);
        this.session = Session.getInstance(new Properties());
        this.dkim = Objects.requireNonNull(dkim);
    }

    /**
     * @param policyDomain the domain the report is about ({@code TLS-Report-Domain})
     * @param from the configured report sender address
     * @param to one {@code mailto:} rua mailbox: each destination gets its own mail (RFC 8460 5.5)
     */
    public MimeMessage compose(ReportIdentity identity, String policyDomain, TlsReport report, InternetAddress from,
                               InternetAddress to) throws MessagingException {
        String submitter = identity.submitterDomain();
        String messageId = "<" + report.reportId() + "@" + submitter + ">";
        MimeMessage message = new FixedIdMessage(session, messageId);
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, to);
        message.setSentDate(Date.from(clock.instant()));
        // RFC 8460 5.3: the Subject, TLS-Report-Domain and TLS-Report-Submitter headers.
        message.setSubject("Report Domain: " + policyDomain + " Submitter: " + submitter + " Report-ID: " + messageId,
            "US-ASCII");
        message.setHeader("TLS-Report-Domain", policyDomain);
        message.setHeader("TLS-Report-Submitter", submitter);
        // RFC 3834: no auto-replies to a report; RFC 8689: deliver even when TLS to the report's MX fails (5.3).
        message.setHeader("Auto-Submitted", "auto-generated");
        message.setHeader("TLS-Required", "No");

        MimeBodyPart text = new MimeBodyPart();
        text.setText(summary(submitter, policyDomain, report), "UTF-8");

        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(ReportJson.toGzip(report), MEDIA_TYPE)));
        String fileName = ReportFileName.of(submitter, policyDomain, report);
        // One quoted parameter as Google writes it: javax.mail's setFileName would split a name this long into
        // RFC 2231 continuations (filename*0=...), which several report parsers do not understand.
        attachment.setHeader("Content-Type", MimeUtility.fold(14, MEDIA_TYPE + "; name=\"" + fileName + "\""));
        attachment.setHeader("Content-Disposition",
            MimeUtility.fold(21, Part.ATTACHMENT + "; filename=\"" + fileName + "\""));
        attachment.setHeader("Content-Transfer-Encoding", "base64");

        MimeMultipart multipart = new ReportMultipart();
        multipart.addBodyPart(text);
        multipart.addBodyPart(attachment);
        message.setContent(multipart);
        // RFC 8460 5.3 quotes the parameter (report-type="tlsrpt"); javax.mail would write it bare, which some
        // receivers' matchers miss. Set before saveChanges, which then keeps it.
        String boundary = new ContentType(multipart.getContentType()).getParameter("boundary");
        message.setHeader("Content-Type", MimeUtility.fold(14,
            "multipart/report; report-type=\"tlsrpt\"; boundary=\"" + boundary + "\""));
        message.saveChanges();
        return dkim.isPresent() ? dkim.get().sign(message) : message;
    }

    static String summary(String submitter, String policyDomain, TlsReport report) {
        StringBuilder text = new StringBuilder()
            .append("This is an aggregate TLS report from ").append(submitter)
            .append(" for ").append(policyDomain).append(" (RFC 8460).\n\n")
            .append("Period: ").append(DateTimeFormatter.ISO_INSTANT.format(report.dateRange().start()))
            .append(" to ").append(DateTimeFormatter.ISO_INSTANT.format(report.dateRange().end())).append('\n')
            .append("Report-ID: ").append(report.reportId()).append("\n\n");
        for (PolicyReport policy : report.policies()) {
            text.append("Policy ").append(policy.policy().policyType().token()).append(": ")
                .append(policy.totalSuccessfulSessionCount()).append(" successful, ")
                .append(policy.totalFailureSessionCount()).append(" failed TLS sessions\n");
            policy.failureDetails().forEach((details, count) -> text.append("  ").append(count).append(" x ")
                .append(details.resultType().token())
                .append(details.receivingMxHostname().map(h -> " at " + h).orElse(""))
                .append('\n'));
        }
        return text.append("\nThe machine-readable report is attached as ").append(MEDIA_TYPE).append(".\n").toString();
    }

    /** {@code multipart/report} with the {@code report-type} parameter RFC 8460 5.3 requires. */
    private static final class ReportMultipart extends MimeMultipart {
        ReportMultipart() throws MessagingException {
            super("report");
            ContentType type = new ContentType(contentType);
            type.setParameter("report-type", "tlsrpt");
            contentType = type.toString();
        }
    }

    /** Keeps {@code <report-id@submitter>} as Message-ID (RFC 8460 5.3) when javax.mail saves changes. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
