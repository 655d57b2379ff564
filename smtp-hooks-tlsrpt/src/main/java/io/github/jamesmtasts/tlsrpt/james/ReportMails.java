package io.github.jamesmtasts.tlsrpt.james;

import java.util.Collection;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

/**
 * TLS-RPT report mails as the mailet container sees them. RFC 8460 5.3: report mails must be delivered despite TLS
 * failures and should not be reported on themselves (a report about a report could loop). They are recognised by a
 * Mail attribute that only this extension sets, never by a header: any sender can write a header, nobody outside
 * James can set an attribute.
 */
public final class ReportMails {

    /** Set to {@code true} on every report mail this extension sends; read by the MTA-STS delivery mailet. */
    public static final AttributeName ATTRIBUTE = AttributeName.of("io.github.jamesmtasts.tlsrpt.report");

    private ReportMails() {
    }

    /** Hands a report mail to the mailet container (processor "root", so DKIM signing and delivery apply). */
    public static void send(MailetContext context, MailAddress envelopeSender, Collection<MailAddress> recipients,
                            MimeMessage message) throws MessagingException {
        MailImpl mail = MailImpl.builder().name(MailImpl.getId())
            .sender(envelopeSender)
            .addRecipients(recipients)
            .mimeMessage(message)
            .state(Mail.DEFAULT)
            .addAttribute(new Attribute(ATTRIBUTE, AttributeValue.of(true)))
            .build();
        try {
            context.sendMail(mail);
        } finally {
            // The container keeps its own copy (as MailetContext.sendMail(sender, recipients, message) does).
            mail.dispose();
        }
    }

    public static boolean isReportMail(Mail mail) {
        return mail.getAttribute(ATTRIBUTE).map(attribute -> attribute.getValue().value())
            .filter(Boolean.TRUE::equals).isPresent();
    }
}
