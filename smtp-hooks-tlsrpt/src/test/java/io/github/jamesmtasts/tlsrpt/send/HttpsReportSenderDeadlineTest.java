package io.github.jamesmtasts.tlsrpt.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.report.ReportJson;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TricklingHttpsPeer;

/**
 * Design H5: one deadline bounds the whole HTTPS exchange. The peers trickle forever, so a sender without a deadline
 * never returns; the generous "within seconds" bound only turns such a hang into a failure.
 */
class HttpsReportSenderDeadlineTest {

    private static final TestPki PKI = TestPki.create("trickling collector CA");
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Duration HANG = Duration.ofSeconds(60);

    private final byte[] gzip = ReportJson.toGzip(ReportFixtures.sampleReport());
    private final HttpsReportSender sender = new HttpsReportSender(DEADLINE, TrustAnchors.of(PKI.trustStore()),
        GuardedConnector.of(AddressGuard.allowing(List.of(Cidr.parse("127.0.0.0/8")))));
    private TricklingHttpsPeer peer;

    @AfterEach
    void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    private String start(TricklingHttpsPeer.Mode mode) {
        peer = TricklingHttpsPeer.start(HttpsCollector.HOST, PKI.issue(HttpsCollector.HOST).serverContext(), mode,
            Duration.ofMillis(200));
        return "https://" + HttpsCollector.HOST + ":" + peer.port() + "/v1/tlsrpt";
    }

    @Test
    void collectorThatAnswers200AndTricklesItsBodyShouldBeCutOffAtTheDeadline() throws Exception {
        String url = start(TricklingHttpsPeer.Mode.BODY);

        SendOutcome outcome = assertTimeoutPreemptively(HANG, () -> sender.post(url, gzip));

        // RFC 8460 5.4: the 2xx status decides; the body means nothing and is abandoned.
        assertThat(outcome).isEqualTo(SendOutcome.delivered());
        assertThat(peer.awaitCutOff(HANG)).as("connection closed by the sender").isTrue();
    }

    @Test
    void collectorThatTricklesItsHeadersShouldFailAtTheDeadline() throws Exception {
        String url = start(TricklingHttpsPeer.Mode.HEADERS);

        SendOutcome outcome = assertTimeoutPreemptively(HANG, () -> sender.post(url, gzip));

        assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.FAILED);
        assertThat(outcome.reason()).hasValueSatisfying(r -> assertThat(r).contains("did not answer within"));
        assertThat(peer.awaitCutOff(HANG)).as("connection closed by the sender").isTrue();
    }
}
