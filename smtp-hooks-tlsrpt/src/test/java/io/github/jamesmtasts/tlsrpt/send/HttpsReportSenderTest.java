package io.github.jamesmtasts.tlsrpt.send;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.report.ReportJson;
import io.github.jamesmtasts.tlsrpt.report.ReportJsonReader;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

class HttpsReportSenderTest {

    private static final TestPki PKI = TestPki.create("report collector CA");
    private static final AddressGuard LOOPBACK_ALLOWED = AddressGuard.allowing(List.of(Cidr.parse("127.0.0.0/8")));

    private final TlsReport report = ReportFixtures.sampleReport();
    private final byte[] gzip = ReportJson.toGzip(report);
    private HttpsCollector collector;

    private HttpsReportSender sender(Duration timeout, AddressGuard guard) {
        return new HttpsReportSender(timeout, TrustAnchors.of(PKI.trustStore()), GuardedConnector.of(guard));
    }

    @AfterEach
    void stopCollector() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void postShouldDeliverTheGzippedReportWhenCollectorAnswers2xx() throws Exception {
        collector = new HttpsCollector(PKI, 202);

        SendOutcome outcome = sender(Duration.ofSeconds(20), LOOPBACK_ALLOWED).post(collector.url("/v1/tlsrpt"), gzip);

        assertThat(outcome).isEqualTo(SendOutcome.delivered());
        assertThat(collector.received()).singleElement().satisfies(request -> {
            assertThat(request.method).isEqualTo("POST");
            assertThat(request.path).isEqualTo("/v1/tlsrpt");
            assertThat(request.contentType).isEqualTo("application/tlsrpt+gzip");
            assertThat(ReportJsonReader.readGzip(request.body)).isEqualTo(report);
        });
    }

    @Test
    void serverErrorShouldBeRetriedAfterTheBackOffAndThenDelivered() throws Exception {
        collector = new HttpsCollector(PKI, 500, 200);
        SettableClock clock = new SettableClock(Instant.parse("2026-11-23T01:00:00Z"));
        RetrySchedule schedule = RetrySchedule.rfc8460();
        HttpsReportSender sender = sender(Duration.ofSeconds(20), LOOPBACK_ALLOWED);
        String url = collector.url("/");
        Instant firstAttempt = clock.instant();

        SendOutcome first = sender.post(url, gzip);
        Instant retryAt = schedule.nextAttempt(firstAttempt, 1, clock.instant()).orElseThrow();
        clock.set(retryAt);
        SendOutcome second = sender.post(url, gzip);

        assertThat(first.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(first.reason()).get().asString().contains("answered HTTP 500");
        assertThat(retryAt).isEqualTo(firstAttempt.plus(Duration.ofMinutes(5)));
        assertThat(second).isEqualTo(SendOutcome.delivered());
        assertThat(collector.received()).hasSize(2);
    }

    @Test
    void redirectShouldBeAFailureWithoutFollowUpRequest() throws Exception {
        collector = new HttpsCollector(PKI, 302);

        SendOutcome outcome = sender(Duration.ofSeconds(20), LOOPBACK_ALLOWED).post(collector.url("/old"), gzip);

        assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(outcome.reason()).get().asString().contains("answered HTTP 302, a redirect");
        assertThat(collector.received()).singleElement().satisfies(r -> {
            assertThat(r.method).isEqualTo("POST");
            assertThat(r.path).isEqualTo("/old");
        });
    }

    @Test
    void silentCollectorShouldTimeOutAsAFailure() throws Exception {
        collector = new HttpsCollector(PKI, HttpsCollector.HANG);

        SendOutcome outcome = sender(Duration.ofMillis(500), LOOPBACK_ALLOWED).post(collector.url("/"), gzip);

        assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(outcome.reason()).get().asString().contains("did not answer");
    }

    @Test
    void loopbackCollectorShouldBeRefusedWithoutAnAllowList() throws Exception {
        collector = new HttpsCollector(PKI, 200);

        SendOutcome outcome = sender(Duration.ofSeconds(20), AddressGuard.allowing(List.of())).post(collector.url("/"), gzip);

        assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(outcome.reason()).get().asString().contains("127.0.0.41", "not a public address");
        assertThat(collector.received()).isEmpty();
    }

    @Test
    void postShouldConnectToTheAddressItCheckedWhenTheDnsAnswerChanges() throws Exception {
        // DNS rebinding: the first answer is the allowed collector address, every later one an address that is not
        // allowed. The POST must go to the checked address after exactly one lookup.
        collector = new HttpsCollector(PKI, 200);
        InetAddress checked = InetAddress.getByName(HttpsCollector.HOST);
        InetAddress rebound = InetAddress.getByAddress(new byte[] {127, 0, 0, 42});
        AtomicInteger lookups = new AtomicInteger();
        HttpsReportSender sender = new HttpsReportSender(Duration.ofSeconds(20), TrustAnchors.of(PKI.trustStore()),
            new GuardedConnector(AddressGuard.allowing(List.of(Cidr.parse(checked.getHostAddress()))),
                host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? checked : rebound}));

        SendOutcome outcome = sender.post(collector.url("/"), gzip);

        assertThat(outcome).isEqualTo(SendOutcome.delivered());
        assertThat(lookups).hasValue(1);
        assertThat(collector.received()).hasSize(1);
    }

    @Test
    void untrustedCertificateShouldBeAFailure() throws Exception {
        collector = new HttpsCollector(PKI, 200);
        HttpsReportSender sender = new HttpsReportSender(Duration.ofSeconds(20),
            TrustAnchors.of(TestPki.create("some other CA").trustStore()), GuardedConnector.of(LOOPBACK_ALLOWED));

        SendOutcome outcome = sender.post(collector.url("/"), gzip);

        assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(collector.received()).isEmpty();
    }

    @Test
    void certificateForAnotherHostShouldBeAFailure() throws Exception {
        collector = new HttpsCollector(PKI.issue("someone-else.test"), 200);

        SendOutcome outcome = sender(Duration.ofSeconds(20), LOOPBACK_ALLOWED).post(collector.url("/"), gzip);

        assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(collector.received()).isEmpty();
    }

    @Test
    void certificateNamingTheCollectorOnlyInTheCommonNameShouldBeAFailure() throws Exception {
        // RFC 6125 6.4.4: a DNS-ID is required; JSSE's HTTPS identification would fall back to the subject CN.
        collector = new HttpsCollector(PKI.issueCnOnly(HttpsCollector.HOST), 200);

        SendOutcome outcome = sender(Duration.ofSeconds(20), LOOPBACK_ALLOWED).post(collector.url("/"), gzip);

        assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(collector.received()).isEmpty();
    }

    @Test
    void plainHttpUrlShouldBeRefused() {
        SendOutcome outcome = sender(Duration.ofSeconds(1), LOOPBACK_ALLOWED).post("http://collector.report.test/", gzip);

        assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(outcome.reason()).get().asString().contains("https");
    }
}
