package io.github.jamesmtasts.tlsrpt.send;

import java.time.Clock;
import java.util.Objects;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;

import io.github.jamesmtasts.tlsrpt.discover.ReportUri;
import io.github.jamesmtasts.tlsrpt.report.ReportJson;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;

/**
 * Sends one report to one rua destination over its channel: {@code mailto:} as a report mail (RFC 8460 5.3),
 * {@code https:} as a POST (5.4). Claims and retries are the caller's business.
 */
final class ReportDispatcher {

    private final ReportMailer mailer;
    private final HttpsReportSender https;
    private final DispatchSettings settings;
    private final ReportMailComposer composer;

    ReportDispatcher(ReportMailer mailer, HttpsReportSender https, DispatchSettings settings, Clock clock) {
        this.mailer = Objects.requireNonNull(mailer);
        this.https = Objects.requireNonNull(https);
        this.settings = Objects.requireNonNull(settings);
        this.composer = new ReportMailComposer(clock, settings.dkim());
    }

    /** Delivered when the collector answered 2xx or the mail system accepted the mail; else failed with why. */
    SendOutcome send(ReportUri uri, String policyDomain, TlsReport report) {
        if (uri.kind() == ReportUri.Kind.HTTPS) {
            return https.post(uri.address(), ReportJson.toGzip(report));
        }
        try {
            InternetAddress to = new InternetAddress(uri.address(), true);
            mailer.submit(composer.compose(settings.identity(), policyDomain, report, settings.from(), to));
            return SendOutcome.delivered();
        } catch (AddressException e) {
            return SendOutcome.failed("rua " + uri.original() + " of " + policyDomain + " is not a mailbox: "
                + e.getMessage());
        } catch (MessagingException e) {
            return SendOutcome.failed("mail to " + uri.address() + " not accepted: " + e.getMessage());
        }
    }
}
