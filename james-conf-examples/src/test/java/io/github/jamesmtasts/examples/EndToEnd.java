package io.github.jamesmtasts.examples;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Properties;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.net.ssl.SSLContext;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;

/**
 * Shared pieces of the end-to-end tests: where the build put James and the drop-in (surefire system properties),
 * the loopback DNS server on port 53, and an SMTP client that submits to James.
 */
final class EndToEnd {
    private EndToEnd() {
    }

    /**
     * Tests that ask James for "today" (TLS-RPT counters, reports) would see two days if the run crossed 00:00 UTC.
     * When fewer than {@code margin} remain before midnight, wait until just after it, so that the whole test runs in
     * one UTC day. A deterministic wait, at most {@code margin} long.
     */
    static void avoidUtcMidnight(Duration margin) throws InterruptedException {
        Instant now = Instant.now();
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1)
            .atStartOfDay(ZoneOffset.UTC).toInstant();
        if (Duration.between(now, midnight).compareTo(margin) < 0) {
            Thread.sleep(Duration.between(now, midnight).plusSeconds(2).toMillis());
        }
    }

    static JamesDistribution distribution() {
        return JamesDistribution.at(Path.of(property("james.distribution.dir")));
    }

    static Path dropIn() {
        return Path.of(property("james.dropin.dir"));
    }

    /** A fresh working directory for one James run under target/james-runs/. */
    static Path runDirectory(String name) {
        return Path.of(property("james.work.dir")).resolve(name);
    }

    /**
     * The DNS server James will query: port 53 because James's DNS client cannot use another port, so binding
     * it needs root (CI runs as root). Fails with a message saying so otherwise.
     */
    static LoopbackDnsServer dnsOnPort53(String loopbackIp) {
        try {
            return LoopbackDnsServer.start(loopbackIp, 53);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("The end-to-end tests need a DNS server on " + loopbackIp + ":53 because James "
                    + "3.8.1 only queries port 53; binding it failed (run the tests as root, as CI does): " + e.getMessage(), e);
        }
    }

    /** Submits one plain-text mail to James's SMTP listener (no TLS: the tests relay from 127.0.0.0/8). */
    static void submit(JamesServerProcess james, String from, String to, String subject, String body) throws MessagingException {
        submit(james, new Properties(), from, to, subject, body);
    }

    /** Submits over STARTTLS (required), trusting James's certificate through {@code clientContext}. */
    static void submitOverTls(JamesServerProcess james, SSLContext clientContext, String from, String to, String subject,
            String body) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", clientContext.getSocketFactory());
        // James listens on an IP literal here; the certificate chain is still checked against the test CA.
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        submit(james, props, from, to, subject, body);
    }

    private static void submit(JamesServerProcess james, Properties props, String from, String to, String subject, String body)
            throws MessagingException {
        props.put("mail.smtp.host", james.smtpAddress().getAddress().getHostAddress());
        props.put("mail.smtp.port", String.valueOf(james.smtpAddress().getPort()));
        props.put("mail.smtp.localhost", "submitter.test");
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "30000");
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText(body);
        Transport.send(message);
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the end-to-end tests through Maven"
                    + " (james-conf-examples surefire configuration sets it)");
        }
        return value;
    }
}
