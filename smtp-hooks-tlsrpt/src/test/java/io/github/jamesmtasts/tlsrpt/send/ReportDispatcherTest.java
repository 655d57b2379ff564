package io.github.jamesmtasts.tlsrpt.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import javax.mail.internet.InternetAddress;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.discover.ReportUri;
import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;

class ReportDispatcherTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T00:30:00Z"), ZoneOffset.UTC);

    private final RecordingMailer mailer = new RecordingMailer();

    private ReportDispatcher dispatcher() throws Exception {
        DispatchSettings settings = DispatchSettings.of(ReportFixtures.IDENTITY,
            new InternetAddress("tlsrpt-noreply@sender.test"), "node-a", DispatchSettings.DEFAULT_LEASE,
            RetrySchedule.rfc8460());
        // No https: destination here: the sender may connect nowhere.
        return new ReportDispatcher(mailer, new HttpsReportSender(Duration.ofSeconds(5), TrustAnchors.jvmDefault(),
            GuardedConnector.of(AddressGuard.allowing(List.of()))), settings, CLOCK);
    }

    @Test
    void mailtoShouldSubmitOneReportMailToTheMailbox() throws Exception {
        SendOutcome outcome = dispatcher().send(ReportUri.mailto("tlsrpt@reports.enforce.test",
            "mailto:tlsrpt@reports.enforce.test"), ReportFixtures.DOMAIN, ReportFixtures.sampleReport());

        assertThat(outcome).isEqualTo(SendOutcome.delivered());
        assertThat(mailer.submitted()).singleElement().satisfies(mail ->
            assertThat(mail.getAllRecipients()).extracting(Object::toString)
                .containsExactly("tlsrpt@reports.enforce.test"));
    }

    @Test
    void mailtoShouldFailNamingTheRuaWhenItIsNoMailbox() throws Exception {
        SendOutcome outcome = dispatcher().send(ReportUri.mailto("not a mailbox", "mailto:not%20a%20mailbox"),
            ReportFixtures.DOMAIN, ReportFixtures.sampleReport());

        assertThat(outcome.isDelivered()).isFalse();
        assertThat(outcome.reason()).hasValueSatisfying(reason ->
            assertThat(reason).contains("mailto:not%20a%20mailbox").contains("not a mailbox"));
        assertThat(mailer.submitted()).isEmpty();
    }

    @Test
    void mailtoShouldFailWhenTheMailSystemRefusesTheMail() throws Exception {
        mailer.refuseNext(1);

        SendOutcome outcome = dispatcher().send(ReportUri.mailto("tlsrpt@reports.enforce.test",
            "mailto:tlsrpt@reports.enforce.test"), ReportFixtures.DOMAIN, ReportFixtures.sampleReport());

        assertThat(outcome.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("spool full"));
    }

    @Test
    void httpsShouldFailWithoutSendingWhenTheCollectorAddressIsRefused() throws Exception {
        // 127.0.0.1 is not in the (empty) allow-list: the HTTPS channel, not the mail one, answers.
        SendOutcome outcome = dispatcher().send(ReportUri.https("https://127.0.0.1/v1/tlsrpt",
            "https://127.0.0.1/v1/tlsrpt"), ReportFixtures.DOMAIN, ReportFixtures.sampleReport());

        assertThat(outcome.isDelivered()).isFalse();
        assertThat(mailer.submitted()).isEmpty();
    }
}
