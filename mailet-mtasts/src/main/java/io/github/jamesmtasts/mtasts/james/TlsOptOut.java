package io.github.jamesmtasts.mtasts.james;

import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;

import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.tlsrpt.james.ReportMails;

/**
 * Whether a mail is delivered despite TLS failures and left out of TLS-RPT: our own report mails (RFC 8460 5.3,
 * recognised by {@link ReportMails#ATTRIBUTE}), and mails whose {@code TLS-Required: No} header (RFC 8689 5) comes
 * from an origin that {@code mtasts.tlsRequiredHeader} trusts. Only the attributes James's SMTP server sets count as
 * an origin: a header, a sender address or a Received line can be written by anyone.
 */
enum TlsOptOut {
    /** MTA-STS applies. */
    NONE,
    /** Our TLS-RPT report mail. */
    REPORT_MAIL,
    /** {@code TLS-Required: No} from a trusted origin. */
    SENDER_HEADER,
    /** {@code TLS-Required: No} from an origin that may not opt out: MTA-STS applies. */
    HEADER_IGNORED;

    /** Set by James's SMTP server (AddDefaultAttributesMessageHook) when the client may relay. */
    static final AttributeName SMTP_IS_AUTH_NETWORK = AttributeName.of("org.apache.james.SMTPIsAuthNetwork");

    /** Delivered despite TLS failures, not recorded. */
    boolean skipsMtaSts() {
        return this == REPORT_MAIL || this == SENDER_HEADER;
    }

    static TlsOptOut of(Mail mail, MtaStsDeliverySettings settings) {
        if (ReportMails.isReportMail(mail)) {
            return REPORT_MAIL;
        }
        if (!hasOptOutHeader(mail, settings)) {
            return NONE;
        }
        switch (settings.tlsRequiredHeader()) {
            case ANY:
                return SENDER_HEADER;
            case AUTHENTICATED:
                return authenticatedOrRelayNetwork(mail) ? SENDER_HEADER : HEADER_IGNORED;
            default:
                return HEADER_IGNORED;
        }
    }

    private static boolean hasOptOutHeader(Mail mail, MtaStsDeliverySettings settings) {
        try {
            return settings.isTlsOptional(mail.getMessage().getHeader(settings.reportMailHeader()));
        } catch (MessagingException e) {
            // An unreadable message cannot opt out: MTA-STS applies.
            return false;
        }
    }

    /**
     * James 3.8.1's SMTP server sets {@link Mail#SMTP_AUTH_USER} after SMTP AUTH and {@code SMTPIsAuthNetwork}
     * ({@code true}) when the session may relay (its client address is in {@code authorizedAddresses}).
     */
    private static boolean authenticatedOrRelayNetwork(Mail mail) {
        if (mail.getAttribute(Mail.SMTP_AUTH_USER).isPresent()) {
            return true;
        }
        Optional<Object> relay = mail.getAttribute(SMTP_IS_AUTH_NETWORK).map(a -> a.getValue().value());
        // Boolean true since James 3.x; the string "true" in older releases.
        return relay.filter(v -> Boolean.TRUE.equals(v) || "true".equals(v)).isPresent();
    }
}
