package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;

/** Reads TLS-RPT reports as collectors receive them: a report mail at a loopback MX, a POST at the HTTPS collector. */
final class ReportArrivals {
    private ReportArrivals() {
    }

    static MimeMessage parse(ReceivedMessage received) throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.data()));
    }

    /** The JSON in the {@code application/tlsrpt+gzip} part of a report mail (RFC 8460 5.3). */
    static String json(ReceivedMessage received) throws MessagingException, IOException {
        MimeMultipart multipart = (MimeMultipart) parse(received).getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            Part part = multipart.getBodyPart(i);
            if (part.isMimeType("application/tlsrpt+gzip")) {
                return gunzip(part.getInputStream());
            }
        }
        throw new AssertionError("no application/tlsrpt+gzip part in\n" + received.dataAsString());
    }

    /** The JSON of a POSTed report (RFC 8460 5.4: the gzipped report is the body). */
    static String json(TestHttpsHost.Post post) {
        return gunzip(new ByteArrayInputStream(post.body()));
    }

    /** The {@code TLS-Report-Domain} of a report mail. */
    static String reportDomain(ReceivedMessage received) throws MessagingException {
        return parse(received).getHeader("TLS-Report-Domain", null);
    }

    /** The first whole number after {@code "key":} in a report's JSON. */
    static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The first string after {@code "key":} in a report's JSON. */
    static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return m.group(1);
    }

    static String gunzip(InputStream gzip) {
        try (InputStream in = new GZIPInputStream(gzip)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("not gzip: " + e, e);
        }
    }
}
