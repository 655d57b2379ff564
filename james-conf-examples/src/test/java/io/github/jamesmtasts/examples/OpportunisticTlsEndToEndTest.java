package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.engine.EngineSettings;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.SmtpSessionRecord;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * RFC 7435 opportunistic TLS in a real James 3.8.1 with the example configuration ({@code startTLS=true}, default
 * {@code mtasts.opportunisticTls}). Two MX hosts on 127.0.33.0/24 serve four recipient domains:
 *
 * <pre>
 * mx-untrusted.shared.test   STARTTLS with a certificate from a CA that James trusts nowhere
 * mx-broken-tls.shared.test  offers STARTTLS, every handshake fails (TLS 1.1 only, disabled by the JVM)
 *
 * opp-none.test       mode: none         MX mx-untrusted   -> delivered over TLS
 * opp-nopolicy.test   no _mta-sts record MX mx-untrusted   -> delivered over TLS
 * opp-handshake.test  no _mta-sts record MX mx-broken-tls  -> handshake fails, delivered in plaintext on retry
 * opp-enforce.test    enforce, mx: *.shared.test, MX 10 mx-untrusted, MX 20 mx-broken-tls -> deferred, never sent
 * </pre>
 *
 * Stock James 3.8.1 with {@code startTLS=true} retries the first three until they bounce.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OpportunisticTlsEndToEndTest {
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration SESSION_END = Duration.ofSeconds(15);
    private static final String NONE = "opp-none.test";
    private static final String NO_POLICY = "opp-nopolicy.test";
    private static final String HANDSHAKE = "opp-handshake.test";
    private static final String ENFORCE = "opp-enforce.test";
    private static final String UNTRUSTED_MX = "mx-untrusted.shared.test";
    private static final String BROKEN_TLS_MX = "mx-broken-tls.shared.test";
    private static final String JAMES_IP = "127.0.33.1";
    private static final String DNS_IP = "127.0.33.53";
    private static final String POLICY_IP = "127.0.33.80";
    private static final String PASSWORD = "changeit";

    private static final List<AutoCloseable> servers = new ArrayList<>();
    private static TestSmtpServer untrustedMx;
    private static TestSmtpServer brokenTlsMx;
    private static TestSmtpServer senderMx;
    private static JamesServerProcess james;

    @BeforeAll
    static void startServers() throws Exception {
        EndToEnd.avoidUtcMidnight(Duration.ofMinutes(3));
        Path runs = EndToEnd.runDirectory("opportunistic").getParent();
        Files.createDirectories(runs);
        TestPki pki = TestPki.create("OpportunisticTlsEndToEndTest CA");
        TestPki nobodysCa = TestPki.create("CA James trusts nowhere");
        Path trustStore = pki.writePkcs12TrustStore(runs.resolve("opportunistic-ca.p12"), PASSWORD.toCharArray());

        LoopbackDnsServer dns = keep(EndToEnd.dnsOnPort53(DNS_IP));
        for (String zone : List.of(NONE, NO_POLICY, HANDSHAKE, ENFORCE, "shared.test", "senders.test")) {
            dns.zone(zone);
        }
        TestHttpsHost policyHost = keep(TestHttpsHost.start(POLICY_IP, 443,
                pki.issue("mta-sts." + NONE, "mta-sts." + ENFORCE).serverContext()));
        dns.txt("_mta-sts." + NONE, "v=STSv1; id=on1;");
        policyHost.policy(NONE, "version: STSv1\nmode: none\nmax_age: 86400\n");
        dns.txt("_mta-sts." + ENFORCE, "v=STSv1; id=oe1;");
        policyHost.policy(ENFORCE, "version: STSv1\nmode: enforce\nmx: *.shared.test\nmax_age: 86400\n");

        dns.a(UNTRUSTED_MX, "127.0.33.11").a(BROKEN_TLS_MX, "127.0.33.12").a("mx.senders.test", "127.0.33.71");
        dns.mx(NONE, 10, UNTRUSTED_MX).mx(NO_POLICY, 10, UNTRUSTED_MX).mx(HANDSHAKE, 10, BROKEN_TLS_MX)
                .mx(ENFORCE, 10, UNTRUSTED_MX).mx(ENFORCE, 20, BROKEN_TLS_MX).mx("senders.test", 10, "mx.senders.test");
        untrustedMx = keep(TestSmtpServer.builder().bindAddress("127.0.33.11").port(25).greetingName(UNTRUSTED_MX)
                .startTls(nobodysCa.issue(UNTRUSTED_MX)).start());
        brokenTlsMx = keep(TestSmtpServer.builder().bindAddress("127.0.33.12").port(25).greetingName(BROKEN_TLS_MX)
                .startTls(pki.issue(BROKEN_TLS_MX)).startTlsProtocols("TLSv1.1").start());
        // A bounce would go to the sender's MX: it must never get one.
        senderMx = keep(TestSmtpServer.builder().bindAddress("127.0.33.71").port(25).greetingName("mx.senders.test")
                .start());

        james = JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(EndToEnd.runDirectory("opportunistic"))
                .smtp(JAMES_IP, 0).webAdmin(JAMES_IP, 0).dnsServer(DNS_IP)
                .confFile("mta-sts.properties", String.join("\n",
                        "# Written by OpportunisticTlsEndToEndTest: policy hosts on loopback, signed by the test CA.",
                        EngineSettings.FETCH_ALLOW_NETWORKS + "=127.0.0.0/8",
                        EngineSettings.FETCH_TRUST_STORE + "=" + trustStore,
                        EngineSettings.FETCH_TRUST_STORE_PASSWORD + "=" + PASSWORD, ""))
                // The test CA is trusted for MTA-STS; the CA of mx-untrusted is trusted nowhere.
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE, trustStore.toString())
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_TYPE, "PKCS12")
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_PASSWORD, PASSWORD)
                .mailetParameter("delayTime", "1000, 2000")
                .mailetParameter("maxRetries", "40")
                .hostsEntry(UNTRUSTED_MX, "127.0.33.11").hostsEntry(BROKEN_TLS_MX, "127.0.33.12")
                .hostsEntry("mx.senders.test", "127.0.33.71")
                .hostsEntry("mta-sts." + NONE, POLICY_IP).hostsEntry("mta-sts." + ENFORCE, POLICY_IP)
                .start();
        for (String domain : List.of(NONE, NO_POLICY, HANDSHAKE, ENFORCE)) {
            EndToEnd.submit(james, "alice@senders.test", "bob@" + domain, "to " + domain, "Hello " + domain + ".");
        }
    }

    @AfterAll
    static void stopServers() {
        if (james != null) {
            james.close();
        }
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    private static <T extends AutoCloseable> T keep(T server) {
        servers.add(server);
        return server;
    }

    private static ReceivedMessage receivedFor(TestSmtpServer mx, String domain) {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        for (int count = 1; System.nanoTime() < deadline; count++) {
            for (ReceivedMessage message : mx.awaitMessages(count, Duration.ofNanos(deadline - System.nanoTime()))) {
                if (message.envelopeTo().contains("bob@" + domain)) {
                    return message;
                }
            }
        }
        throw new AssertionError("no mail for bob@" + domain + " at " + mx + "\n" + james.logTail(60));
    }

    @Test
    void noneAndNoPolicyDomainsShouldBeDeliveredOverTlsDespiteAnUntrustedCertificate() {
        for (String domain : List.of(NONE, NO_POLICY)) {
            ReceivedMessage received = receivedFor(untrustedMx, domain);

            assertThat(received.tlsProtocol()).as(domain).hasValueSatisfying(p -> assertThat(p).isIn("TLSv1.2", "TLSv1.3"));
        }
        assertThat(untrustedMx.plaintextMailCommands()).isZero();
        assertThat(james.log()).contains("domain=" + NONE + " policyId=on1 mode=none");
    }

    @Test
    void aNoPolicyMxWhoseHandshakeFailsShouldGetTheMailInPlaintextOnTheRetry() {
        ReceivedMessage received = receivedFor(brokenTlsMx, HANDSHAKE);

        assertThat(received.receivedOverTls()).isFalse();
        SmtpSessionRecord delivering = brokenTlsMx.awaitSessionsWithMessages(1, SESSION_END).stream()
                .filter(session -> session.number() == received.sessionNumber()).findFirst().orElseThrow();
        assertThat(delivering.startTlsRequested()).isFalse();
        // The session before it tried STARTTLS, failed the handshake and sent nothing.
        assertThat(brokenTlsMx.sessions()).filteredOn(session -> session.handshakeFailure().isPresent())
                .isNotEmpty().allSatisfy(session -> assertThat(session.messages()).isZero());
        assertThat(james.log()).contains("TLS handshake with " + BROKEN_TLS_MX)
                .contains("retrying once on the same MX in plaintext");
    }

    @Test
    void theTlsOutcomesShouldBeRecordedForTlsRpt() {
        receivedFor(untrustedMx, NONE);
        receivedFor(untrustedMx, NO_POLICY);
        receivedFor(brokenTlsMx, HANDSHAKE);

        // RFC 8460 4.4: TLS negotiated without a policy asking for authentication is a success; a handshake that
        // failed is a failure (validation-failure), whatever the plaintext retry then did.
        awaitTodaysCounters(NO_POLICY, 1, 0);
        awaitTodaysCounters(NONE, 1, 0);
        awaitTodaysCounters(HANDSHAKE, 0, 1);
        assertThat(james.log()).contains("domain=" + HANDSHAKE + " policyId=- mode=none mx=" + BROKEN_TLS_MX
            + ". verdict=STOCK");
    }

    @Test
    void anEnforceDomainWithTheSameMxHostsShouldBeDeferredAndNeverSentAnything() {
        // RFC 8461 5: both MX hosts fail TLS (untrusted certificate, failed handshake): unreachable, no plaintext.
        JamesObservations.awaitLogOccurrences(james, "MTA-STS session failed: domain=" + ENFORCE, 4, DELIVERY);
        receivedFor(brokenTlsMx, HANDSHAKE);

        assertThat(JamesObservations.awaitQueueSizeAtLeast(james, "outgoing", 1, SESSION_END)).isPositive();
        for (TestSmtpServer mx : List.of(untrustedMx, brokenTlsMx)) {
            assertThat(mx.messages()).as("%s", mx)
                    .noneSatisfy(message -> assertThat(message.envelopeTo()).contains("bob@" + ENFORCE));
        }
        // The only plaintext MAIL ever sent to these MX hosts is the no-policy domain's retry.
        assertThat(brokenTlsMx.plaintextMailCommands()).isEqualTo(1);
        assertThat(untrustedMx.plaintextMailCommands()).isZero();
        assertThat(senderMx.messages()).isEmpty();
        assertThat(JamesObservations.occurrences(james.log(), "retrying once on the same MX in plaintext")).isEqualTo(1);
    }

    private static void awaitTodaysCounters(String domain, int successes, int failures) {
        JamesObservations.awaitWebAdminAnswerContaining(james, "/tlsrpt/days/today", "{\"policyDomain\":\"" + domain
                + "\",\"successfulSessions\":" + successes + ",\"failedSessions\":" + failures + "}", DELIVERY);
    }
}
