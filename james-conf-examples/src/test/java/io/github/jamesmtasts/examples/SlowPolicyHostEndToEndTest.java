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
import io.github.jamesmtasts.tlsrpt.testing.SilentPeer;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * Design rule H6 on a real James 3.8.1: 40 recipient domains publish {@code _mta-sts} records whose policy hosts
 * accept TCP on port 443 and never answer ({@link SilentPeer}); their mails are submitted first, then mails to
 * domains without a policy and to one whose policy host answers at once. James runs 20 delivery threads (the
 * default on a 2-core machine, set explicitly here), fewer than the 40 hung fetches, and keeps the default policy
 * wait and fetch timeout (60 s): a delivery thread that waited for a fetch would hold the other mails for a minute.
 * Everything lives on 127.0.40.0/24.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SlowPolicyHostEndToEndTest {
    private static final int SLOW_DOMAINS = 40;
    private static final int DELIVERY_THREADS = 20;
    /** Well below the 60 s fetch timeout that a starved delivery would have to wait for. */
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(20);
    private static final List<String> OTHER_DOMAINS = List.of("plain-a.test", "plain-b.test", "plain-c.test");
    private static final String PROMPT = "prompt.test";
    private static final String PROMPT_MX = "mx.prompt.test";
    private static final String SENDER = "alice@senders.test";
    private static final String PASSWORD = "changeit";

    private static final String JAMES_IP = "127.0.40.1";
    private static final String DNS_IP = "127.0.40.53";
    private static final String SILENT_IP = "127.0.40.80";
    private static final String POLICY_IP = "127.0.40.81";
    private static final String SLOW_MX_IP = "127.0.40.20";
    private static final String PROMPT_MX_IP = "127.0.40.30";

    private static final List<AutoCloseable> servers = new ArrayList<>();
    private static final List<TestSmtpServer> otherMx = new ArrayList<>();
    private static SilentPeer silentPolicyHosts;
    private static TestHttpsHost promptPolicyHost;
    private static TestSmtpServer promptMx;
    private static JamesServerProcess james;
    private static long submittedNanos;

    @BeforeAll
    static void start() throws Exception {
        Path runs = EndToEnd.runDirectory("slow-policy").getParent();
        Files.createDirectories(runs);
        TestPki pki = TestPki.create("SlowPolicyHostEndToEndTest CA");
        Path trustStore = pki.writePkcs12TrustStore(runs.resolve("slow-policy-ca.p12"), PASSWORD.toCharArray());
        LoopbackDnsServer dns = keep(EndToEnd.dnsOnPort53(DNS_IP));
        silentPolicyHosts = keep(SilentPeer.start(SILENT_IP, 443));
        promptPolicyHost = keep(TestHttpsHost.start(POLICY_IP, 443, pki.issue("mta-sts." + PROMPT).serverContext()));
        JamesLauncher launcher = JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(EndToEnd.runDirectory("slow-policy"))
                .smtp(JAMES_IP, 0).webAdmin(JAMES_IP, 0).dnsServer(DNS_IP)
                .confFile("mta-sts.properties", String.join("\n",
                        "# Written by SlowPolicyHostEndToEndTest: policy hosts on loopback, signed by the test CA.",
                        EngineSettings.FETCH_ALLOW_NETWORKS + "=127.0.0.0/8",
                        EngineSettings.FETCH_TRUST_STORE + "=" + trustStore,
                        EngineSettings.FETCH_TRUST_STORE_PASSWORD + "=" + PASSWORD,
                        // The RFC 8461 3.3 maximum, also the default: the gap to "within seconds" is unmistakable.
                        EngineSettings.FETCH_TIMEOUT + "=60s", ""))
                .mailetParameter(MtaStsDeliverySettings.DELIVERY_THREADS, String.valueOf(DELIVERY_THREADS))
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE, trustStore.toString())
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_TYPE, "PKCS12")
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_PASSWORD, PASSWORD);

        keep(TestSmtpServer.builder().bindAddress(SLOW_MX_IP).port(25).greetingName("mx.slow.test")
                .start());
        for (int i = 1; i <= SLOW_DOMAINS; i++) {
            String domain = slowDomain(i);
            dns.zone(domain).txt("_mta-sts." + domain, "v=STSv1; id=slow1;").mx(domain, 10, "mx." + domain)
                    .a("mx." + domain, SLOW_MX_IP);
            // 40 policy host names, one silent address.
            launcher.hostsEntry("mta-sts." + domain, SILENT_IP);
        }
        for (int i = 0; i < OTHER_DOMAINS.size(); i++) {
            String domain = OTHER_DOMAINS.get(i);
            String ip = "127.0.40." + (40 + i);
            dns.zone(domain).mx(domain, 10, "mx." + domain).a("mx." + domain, ip);
            otherMx.add(keep(TestSmtpServer.builder().bindAddress(ip).port(25).greetingName("mx." + domain).start()));
        }
        dns.zone(PROMPT).txt("_mta-sts." + PROMPT, "v=STSv1; id=p1;").mx(PROMPT, 10, PROMPT_MX).a(PROMPT_MX, PROMPT_MX_IP);
        promptPolicyHost.policy(PROMPT, "version: STSv1\nmode: enforce\nmx: " + PROMPT_MX + "\nmax_age: 86400\n");
        launcher.hostsEntry("mta-sts." + PROMPT, POLICY_IP).hostsEntry(PROMPT_MX, PROMPT_MX_IP);
        promptMx = keep(TestSmtpServer.builder().bindAddress(PROMPT_MX_IP).port(25).greetingName(PROMPT_MX)
                .startTls(pki.issue(PROMPT_MX)).start());
        dns.zone("senders.test");

        james = launcher.start();
        for (int i = 1; i <= SLOW_DOMAINS; i++) {
            EndToEnd.submit(james, SENDER, "bob@" + slowDomain(i), "to " + slowDomain(i), "Hello.");
        }
        for (String domain : OTHER_DOMAINS) {
            EndToEnd.submit(james, SENDER, "bob@" + domain, "to " + domain, "Hello " + domain + ".");
        }
        EndToEnd.submit(james, SENDER, "bob@" + PROMPT, "to " + PROMPT, "Hello " + PROMPT + ".");
        submittedNanos = System.nanoTime();
    }

    private static String slowDomain(int i) {
        return String.format("slow%02d.test", i);
    }

    private static <T extends AutoCloseable> T keep(T server) {
        servers.add(server);
        return server;
    }

    /** What is left of {@link #WITHIN_SECONDS} since the last mail was submitted (at least 1 ms). */
    private static Duration remaining() {
        Duration spent = Duration.ofNanos(System.nanoTime() - submittedNanos);
        Duration left = WITHIN_SECONDS.minus(spent);
        return left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
    }

    @AfterAll
    static void stop() {
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

    @Test
    void mailToOtherDomainsShouldBeDeliveredWithinSecondsWhileFortyPolicyHostsNeverAnswer() throws Exception {
        for (TestSmtpServer mx : otherMx) {
            ReceivedMessage received = mx.awaitMessages(1, remaining()).get(0);
            assertThat(received.envelopeTo()).hasSize(1);
        }
        // The hung fetches are really running (and not given up): every delivery thread could have been held.
        assertThat(silentPolicyHosts.awaitConnections(DELIVERY_THREADS + 1, remaining())).isTrue();
        // H6: the mails to the slow domains wait in the queue; none went out as if there were no policy.
        assertThat(james.log()).contains("not known yet (policy discovery still running)");
    }

    @Test
    void firstMailToADomainWhosePolicyHostAnswersPromptlyShouldBeDeliveredUnderItsPolicyOnTheFirstAttempt() {
        ReceivedMessage received = promptMx.awaitMessages(1, remaining()).get(0);

        assertThat(received.envelopeTo()).containsExactly("bob@" + PROMPT);
        assertThat(received.receivedOverTls()).isTrue();
        assertThat(james.log()).contains("domain=" + PROMPT + " policyId=p1 mode=enforce")
                .doesNotContain("MTA-STS policy of " + PROMPT + " not known yet");
        assertThat(promptPolicyHost.requests(PROMPT)).isEqualTo(1);
    }
}
