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
    private final Runnable tlsStarts;
    private boolean greetingRead;

    /** @param tlsStarts told when STARTTLS was answered 220: the next bytes from the MX are TLS records */
    ProbingSmtpTransport(Session session, URLName url, SessionProbe probe, Runnable tlsStarts) {
        super(session, url);
        this.probe = probe;
        this.tlsStarts = tlsStarts;
    }

    @Override
    protected int readServerResponse() throws MessagingException {
        int code = super.readServerResponse();
        if (!greetingRead) {
            greetingRead = true;
            probe.greeting(getLastServerResponse());
        }
        probe.replyBeforeTls(code, getLastServerResponse());
        return code;
    }

    @Override
    protected boolean ehlo(String domain) throws MessagingException {
        probe.step(SessionProbe.Step.EHLO);
        boolean ok = super.ehlo(domain);
        if (ok) {
            // A refused EHLO says nothing about STARTTLS: javax.mail falls back to HELO, recorded there.
            probe.firstEhlo(getLastServerResponse(), supportsExtension("STARTTLS"));
        }
        return ok;
    }

    @Override
    protected void helo(String domain) throws MessagingException {
        // HELO is the fallback of a refused EHLO: same step for the reason code.
        probe.step(SessionProbe.Step.EHLO);
        super.helo(domain);
        // HELO fallback: no extensions, so no STARTTLS.
        probe.firstEhlo(getLastServerResponse(), false);
    }

    @Override
    protected void startTLS() throws MessagingException {
        probe.step(SessionProbe.Step.STARTTLS);
        super.startTLS();
        probe.markTlsEstablished();
    }

    /** javax.mail's {@code startTLS} sends STARTTLS through here; only a 220 lets the handshake begin. */
    @Override
    public synchronized void issueCommand(String command, int expect) throws MessagingException {
        super.issueCommand(command, expect);
        if ("STARTTLS".equals(command)) {
            tlsStarts.run();
            probe.markTlsStarted();
        }
    }
}
