package io.github.jamesmtasts.tlsrpt.send;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/**
 * Hands a composed (and, unless opted out, already DKIM-signed) report mail to the mail system (inside James: the
 * mailet context, so the mail is queued and delivered like any other). Returning normally means the mail was accepted
 * for delivery.
 */
public interface ReportMailer {

    void submit(MimeMessage message) throws MessagingException;
}
