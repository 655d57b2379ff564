package io.github.jamesmtasts.mtasts.deliver;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.URLName;

import com.sun.mail.smtp.SMTPTransport;

/**
 * javax.mail's SMTP transport, reporting into a {@link SessionProbe} what RFC 8460 records need and javax.mail
 * does not keep: the greeting, the first EHLO reply (before STARTTLS), whether STARTTLS was offered and begun.
 */
final class ProbingSmtpTransport extends SMTPTransport {

    private final SessionProbe probe;
    private boolean greetingRead;

    ProbingSmtpTransport(Session session, URLName url, SessionProbe probe) {
        super(session, url);
        this.probe = probe;
    }

    @Override
    protected int readServerResponse() throws MessagingException {
        int code = super.readServerResponse();
        if (!greetingRead) {
            greetingRead = true;
            probe.greeting(getLastServerResponse());
        }
        return code;
    }

    @Override
    protected boolean ehlo(String domain) throws MessagingException {
        boolean ok = super.ehlo(domain);
        probe.firstEhlo(getLastServerResponse(), ok && supportsExtension("STARTTLS"));
        return ok;
    }

    @Override
    protected void helo(String domain) throws MessagingException {
        super.helo(domain);
        // HELO fallback: no extensions, so no STARTTLS.
        probe.firstEhlo(getLastServerResponse(), false);
    }

    @Override
    protected void startTLS() throws MessagingException {
        probe.markTlsStarted();
        super.startTLS();
        probe.markTlsEstablished();
    }
}
