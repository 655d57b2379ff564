package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.SmtpSessionRecord;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * RFC 8461 5 / 8.4 (rules A and I) in a real James 3.8.1 with {@code MtaStsRemoteDelivery}: one James for the
 * class, one recipient domain per scenario, all mails submitted at once so the scenarios run side by side.
 * MX hosts are {@link TestSmtpServer}s on port 25 of their own loopback address ({@link MtaStsTestNetwork});
 * James trusts the test CA only through configuration (conf/mta-sts.properties and the mailet's
 * {@code mtasts.trustStore}), never through the JVM trust store, so the stock code path cannot open TLS to them.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EnforceEndToEndTest {
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration SESSION_END = Duration.ofSeconds(15);
    private static final List<String> TLS_12_OR_HIGHER = List.of("TLSv1.2", "TLSv1.3");

    private static MtaStsTestNetwork net;
    private static JamesServerProcess james;

    @BeforeAll
    static void startServers() throws Exception {
        Path runs = EndToEnd.runDirectory("enforce").getParent();
        Files.createDirectories(runs);
        net = MtaStsTestNetwork.start(runs.resolve("enforce-ca.p12"));
        james = net.configure(JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                        .workingDirectory(EndToEnd.runDirectory("enforce")))
                // Short retries: a refused mail comes back within seconds, and stays queued for a minute and more.
                .mailetParameter("delayTime", "1000, 2000")
                .mailetParameter("maxRetries", "40")
                .start();
        for (String domain : MtaStsTestNetwork.RECIPIENT_DOMAINS) {
            EndToEnd.submit(james, MtaStsTestNetwork.SENDER, "bob@" + domain, "to " + domain, "Hello " + domain + ".");
        }
    }

    @AfterAll
    static void stopServers() {
        if (james != null) {
            james.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void enforceShouldDeliverToTheFirstAcceptableMxOverTls12OrHigherWithSni() {
        ReceivedMessage received = net.enforceGood.awaitMessages(1, DELIVERY).get(0);

        assertThat(received.envelopeTo()).containsExactly("bob@" + MtaStsTestNetwork.ENFORCE);
        assertThat(received.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn(TLS_12_OR_HIGHER));
        // Rule I (RFC 8461 7): SNI names the MX host.
        assertThat(net.enforceGood.awaitSessions(1, SESSION_END)).filteredOn(session -> session.messages() > 0)
                .extracting(session -> session.serverNameIndication().orElse("none"))
                .containsExactly(MtaStsTestNetwork.ENFORCE_GOOD_MX);
        assertThat(james.log()).contains("domain=" + MtaStsTestNetwork.ENFORCE + " policyId=e1 mode=enforce");
    }

    @Test
    void enforceShouldRefuseAnMxWithoutStartTlsAndNeverSendItAnything() {
        net.enforceGood.awaitMessages(1, DELIVERY);

        // RFC 8461 5: no STARTTLS makes the host unreachable; the next MX is tried (8.4), no plaintext fallback.
        assertThat(net.enforceNoTls.awaitSessions(1, SESSION_END)).allSatisfy(session -> assertThat(session.messages()).isZero());
        assertThat(net.enforceNoTls.messages()).isEmpty();
        assertThat(net.enforceNoTls.plaintextMailCommands()).isZero();
    }

    @Test
    void enforceShouldRefuseMxHostsWithExpiredWrongHostOrUntrustedCertificates() {
        net.enforceGood.awaitMessages(1, DELIVERY);

        for (TestSmtpServer refused : List.of(net.enforceExpired, net.enforceWrongHost, net.enforceUntrusted)) {
            List<SmtpSessionRecord> sessions = refused.awaitSessions(1, SESSION_END);
            // STARTTLS was tried, the certificate check failed, and nothing was sent before or after.
            assertThat(sessions).as("sessions at %s", refused).allSatisfy(session -> {
                assertThat(session.startTlsRequested()).isTrue();
                assertThat(session.tlsMailCommands()).isZero();
                assertThat(session.messages()).isZero();
            });
            assertThat(refused.messages()).as("messages at %s", refused).isEmpty();
            assertThat(refused.plaintextMailCommands()).as("plaintext MAIL at %s", refused).isZero();
        }
    }

    @Test
    void enforceShouldNeverConnectToAnMxThePolicyDoesNotName() {
        net.enforceGood.awaitMessages(1, DELIVERY);

        // RFC 8461 4.1 / 5: mx.outside.test has a valid certificate but is not in "mx: *.enforce.test".
        assertThat(net.enforceOutsidePolicy.sessionCount()).isZero();
        assertThat(james.log()).contains("MTA-STS refused MX " + MtaStsTestNetwork.ENFORCE_OUTSIDE_MX);
    }

    @Test
    void enforceShouldNeverSendPlaintextToAnyOfItsMxHosts() {
        net.enforceGood.awaitMessages(1, DELIVERY);

        assertThat(net.enforceMxHosts()).allSatisfy(mx -> assertThat(mx.plaintextMailCommands()).as("%s", mx).isZero());
    }

    @Test
    void testingShouldDeliverDespiteAnExpiredCertificateAndAnMxOutsideThePolicy() {
        ReceivedMessage received = net.testingMx.awaitMessages(1, DELIVERY).get(0);

        // RFC 8461 5: testing delivers as if there were no policy (and reports); the test CA is trusted only by the
        // MTA-STS code path, so this delivery over TLS also shows the testing policy was applied.
        assertThat(received.envelopeTo()).containsExactly("bob@" + MtaStsTestNetwork.TESTING);
        assertThat(received.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn(TLS_12_OR_HIGHER));
        assertThat(james.log()).contains("domain=" + MtaStsTestNetwork.TESTING + " policyId=t1 mode=testing");
    }

    @Test
    void noneModeAndNoPolicyShouldDeliverAsBeforeEvenWithoutStartTls() {
        assertThat(net.noneMx.awaitMessages(1, DELIVERY).get(0).envelopeTo()).containsExactly("bob@" + MtaStsTestNetwork.NONE);
        assertThat(net.noPolicyMx.awaitMessages(1, DELIVERY).get(0).envelopeTo())
                .containsExactly("bob@" + MtaStsTestNetwork.NO_POLICY);

        assertThat(net.noneMx.plaintextMailCommands()).isEqualTo(1);
        assertThat(net.noPolicyMx.plaintextMailCommands()).isEqualTo(1);
        assertThat(james.log()).contains("domain=" + MtaStsTestNetwork.NONE + " policyId=n1 mode=none");
    }

    @Test
    void enforceWithoutAcceptableMxShouldRetryAndDeliverOnceThePolicyIsFixed() {
        String refusal = "MTA-STS refused MX " + MtaStsTestNetwork.RETRY_POLICY_MX;
        JamesObservations.awaitLogOccurrences(james, refusal, 2, DELIVERY);

        // Rule A: refused is temporary. The mail waits in the queue, nothing was bounced, the MX never saw a byte.
        assertThat(JamesObservations.awaitQueueSizeAtLeast(james, "outgoing", 1, SESSION_END)).isPositive();
        assertThat(net.retryPolicyMx.sessionCount()).isZero();
        assertThat(net.senderMx.messages()).isEmpty();

        net.fixRetryPolicy();

        ReceivedMessage received = net.retryPolicyMx.awaitMessages(1, DELIVERY).get(0);
        assertThat(received.envelopeTo()).containsExactly("bob@" + MtaStsTestNetwork.RETRY_POLICY);
        assertThat(received.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn(TLS_12_OR_HIGHER));
        assertThat(james.log()).contains("domain=" + MtaStsTestNetwork.RETRY_POLICY + " policyId=rp2 mode=enforce");
        assertThat(net.senderMx.messages()).isEmpty();
    }

    @Test
    void enforceWithAnExpiredMxCertificateShouldRetryAndDeliverOnceTheMxIsFixed() {
        List<SmtpSessionRecord> refused = net.retryMxBad.awaitSessions(2, DELIVERY);

        assertThat(refused).allSatisfy(session -> assertThat(session.messages()).isZero());
        assertThat(net.retryMxBad.plaintextMailCommands()).isZero();
        assertThat(JamesObservations.awaitQueueSizeAtLeast(james, "outgoing", 1, SESSION_END)).isPositive();
        assertThat(net.senderMx.messages()).isEmpty();

        TestSmtpServer fixed = net.fixRetryMx();

        ReceivedMessage received = fixed.awaitMessages(1, DELIVERY).get(0);
        assertThat(received.envelopeTo()).containsExactly("bob@" + MtaStsTestNetwork.RETRY_MX);
        assertThat(received.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn(TLS_12_OR_HIGHER));
        assertThat(net.retryMxBad.messages()).isEmpty();
        assertThat(net.senderMx.messages()).isEmpty();
    }

    @Test
    void enforceShouldGoOnToTheNextMxWhenTheFirstAnswers454ToStartTls() {
        assertNextMxDeliveredAfterStartTlsRefusal(MtaStsTestNetwork.STARTTLS_454, net.startTls454Refusing,
                net.startTls454Good, "starttls-refused: 454 4.7.0 TLS not available");
    }

    @Test
    void enforceShouldGoOnToTheNextMxAndNeverBounceWhenTheFirstAnswers554ToStartTls() {
        assertNextMxDeliveredAfterStartTlsRefusal(MtaStsTestNetwork.STARTTLS_554, net.startTls554Refusing,
                net.startTls554Good, "starttls-refused: 554 5.7.0 no TLS for you");
    }

    /** H3 (RFC 8461 5, 8.4): a refused STARTTLS makes that MX unreachable; the next MX gets the mail over TLS. */
    private static void assertNextMxDeliveredAfterStartTlsRefusal(String domain, TestSmtpServer refusing, TestSmtpServer good,
            String reasonCode) {
        ReceivedMessage received = good.awaitMessages(1, DELIVERY).get(0);

        assertThat(received.envelopeTo()).containsExactly("bob@" + domain);
        assertThat(received.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn(TLS_12_OR_HIGHER));
        assertThat(refusing.awaitSessions(1, SESSION_END)).allSatisfy(session -> {
            assertThat(session.startTlsRequested()).isTrue();
            assertThat(session.messages()).isZero();
        });
        assertThat(refusing.plaintextMailCommands()).isZero();
        assertThat(james.log()).contains("result=starttls-not-supported (" + reasonCode + ")");
        // Nothing bounced: the sender's MX never got a DSN.
        assertThat(net.senderMx.messages()).isEmpty();
    }

    @Test
    void policiesShouldBeFetchedFromThePolicyHostsOverHttps() {
        net.enforceGood.awaitMessages(1, DELIVERY);

        assertThat(net.policyHost.requests(MtaStsTestNetwork.ENFORCE)).isPositive();
        assertThat(net.policyHost.requests(MtaStsTestNetwork.NO_POLICY)).isZero();
    }
}
