package io.github.jamesmtasts.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.engine.EngineSettings;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.SmtpScript;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;

/**
 * The remote side of {@link EnforceEndToEndTest}, all on 127.0.30.0/24: the authoritative DNS server (port 53), the
 * HTTPS policy host of every domain (port 443) and one {@link TestSmtpServer} per MX host (port 25 each).
 *
 * <pre>
 * enforce.test     enforce, mx *.enforce.test. MX 10 no STARTTLS, 20 expired certificate, 30 certificate for
 *                  another name, 40 certificate from an untrusted CA, 50 mx.outside.test (valid, not in the
 *                  policy), 60 valid: only the last may receive the mail (RFC 8461 5, 8.4)
 * testing.test     testing, mx mx.testing.test; its only MX is mx.elsewhere.test with an expired certificate
 * none.test        none; MX without STARTTLS
 * nopolicy.test    no _mta-sts record; MX without STARTTLS
 * retrypolicy.test enforce, policy rp1 names mx-old only, the MX is mx-new: refused until rp2 adds it
 * retrymx.test     enforce, its MX has an expired certificate until the server is replaced by a valid one
 * senders.test     the sender's domain: its MX would receive any bounce (no STARTTLS, no policy)
 * starttls454.test enforce; MX 10 answers 454 to STARTTLS, MX 20 is valid (H3: next MX, never a bounce)
 * starttls554.test enforce; MX 10 answers 554 to STARTTLS, MX 20 is valid (H3: next MX, never a bounce)
 * </pre>
 */
final class MtaStsTestNetwork implements AutoCloseable {
    static final String ENFORCE = "enforce.test";
    static final String TESTING = "testing.test";
    static final String NONE = "none.test";
    static final String NO_POLICY = "nopolicy.test";
    static final String RETRY_POLICY = "retrypolicy.test";
    static final String RETRY_MX = "retrymx.test";
    static final String STARTTLS_454 = "starttls454.test";
    static final String STARTTLS_554 = "starttls554.test";
    static final List<String> RECIPIENT_DOMAINS = List.of(ENFORCE, TESTING, NONE, NO_POLICY, RETRY_POLICY, RETRY_MX,
            STARTTLS_454, STARTTLS_554);
    static final String SENDER = "alice@senders.test";
    static final String ENFORCE_GOOD_MX = "mx6-good.enforce.test";
    static final String ENFORCE_OUTSIDE_MX = "mx.outside.test";
    static final String RETRY_POLICY_MX = "mx-new.retrypolicy.test";

    private static final String JAMES_IP = "127.0.30.1";
    private static final String DNS_IP = "127.0.30.53";
    private static final String POLICY_IP = "127.0.30.80";
    private static final String RETRY_MX_IP = "127.0.30.61";
    private static final String RETRY_MX_HOST = "mx.retrymx.test";
    private static final String PASSWORD = "changeit";

    final TestPki pki = TestPki.create("EnforceEndToEndTest CA");
    private final TestPki otherPki = TestPki.create("Untrusted CA");
    private final Path trustStore;
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    final LoopbackDnsServer dns;
    final TestHttpsHost policyHost;
    final TestSmtpServer enforceNoTls;
    final TestSmtpServer enforceExpired;
    final TestSmtpServer enforceWrongHost;
    final TestSmtpServer enforceUntrusted;
    final TestSmtpServer enforceOutsidePolicy;
    final TestSmtpServer enforceGood;
    final TestSmtpServer testingMx;
    final TestSmtpServer noneMx;
    final TestSmtpServer noPolicyMx;
    final TestSmtpServer retryPolicyMx;
    final TestSmtpServer retryMxBad;
    final TestSmtpServer senderMx;
    final TestSmtpServer startTls454Refusing;
    final TestSmtpServer startTls454Good;
    final TestSmtpServer startTls554Refusing;
    final TestSmtpServer startTls554Good;
    private TestSmtpServer retryMxFixed;

    private MtaStsTestNetwork(Path trustStore) {
        this.trustStore = pki.writePkcs12TrustStore(trustStore, PASSWORD.toCharArray());
        try {
            dns = keep(EndToEnd.dnsOnPort53(DNS_IP));
            List<String> policyHosts = new ArrayList<>();
            for (String domain : List.of(ENFORCE, TESTING, NONE, RETRY_POLICY, RETRY_MX, STARTTLS_454, STARTTLS_554)) {
                policyHosts.add("mta-sts." + domain);
                hosts.put("mta-sts." + domain, POLICY_IP);
            }
            policyHost = keep(TestHttpsHost.start(POLICY_IP, 443,
                    pki.issue(policyHosts.toArray(new String[0])).serverContext()));
            for (String zone : List.of(ENFORCE, TESTING, NONE, NO_POLICY, RETRY_POLICY, RETRY_MX, "senders.test", "outside.test",
                    "elsewhere.test", STARTTLS_454, STARTTLS_554)) {
                dns.zone(zone);
            }
            publish(ENFORCE, "e1", "enforce", "*.enforce.test");
            enforceNoTls = mx(ENFORCE, 10, "mx1-notls.enforce.test", "127.0.30.11", null);
            enforceExpired = mx(ENFORCE, 20, "mx2-expired.enforce.test", "127.0.30.12", expired("mx2-expired.enforce.test"));
            enforceWrongHost = mx(ENFORCE, 30, "mx3-wronghost.enforce.test", "127.0.30.13", pki.issue("mx.somewhere-else.test"));
            enforceUntrusted = mx(ENFORCE, 40, "mx4-untrusted.enforce.test", "127.0.30.14", otherPki.issue("mx4-untrusted.enforce.test"));
            enforceOutsidePolicy = mx(ENFORCE, 50, ENFORCE_OUTSIDE_MX, "127.0.30.15", pki.issue(ENFORCE_OUTSIDE_MX));
            enforceGood = mx(ENFORCE, 60, ENFORCE_GOOD_MX, "127.0.30.16", pki.issue(ENFORCE_GOOD_MX));
            publish(TESTING, "t1", "testing", "mx.testing.test");
            testingMx = mx(TESTING, 10, "mx.elsewhere.test", "127.0.30.21", expired("mx.elsewhere.test"));
            dns.txt("_mta-sts." + NONE, "v=STSv1; id=n1;");
            policyHost.policy(NONE, "version: STSv1\nmode: none\nmax_age: 86400\n");
            noneMx = mx(NONE, 10, "mx.none.test", "127.0.30.31", null);
            noPolicyMx = mx(NO_POLICY, 10, "mx.nopolicy.test", "127.0.30.41", null);
            publish(RETRY_POLICY, "rp1", "enforce", "mx-old.retrypolicy.test");
            retryPolicyMx = mx(RETRY_POLICY, 10, RETRY_POLICY_MX, "127.0.30.51", pki.issue(RETRY_POLICY_MX));
            publish(RETRY_MX, "rm1", "enforce", RETRY_MX_HOST);
            retryMxBad = mx(RETRY_MX, 10, RETRY_MX_HOST, RETRY_MX_IP, expired(RETRY_MX_HOST));
            senderMx = mx("senders.test", 10, "mx.senders.test", "127.0.30.71", null);
            publish(STARTTLS_454, "s454", "enforce", "*." + STARTTLS_454);
            startTls454Refusing = refusingStartTls(STARTTLS_454, "mx1." + STARTTLS_454, "127.0.30.91",
                    "454 4.7.0 TLS not available");
            startTls454Good = mx(STARTTLS_454, 20, "mx2." + STARTTLS_454, "127.0.30.92", pki.issue("mx2." + STARTTLS_454));
            publish(STARTTLS_554, "s554", "enforce", "*." + STARTTLS_554);
            startTls554Refusing = refusingStartTls(STARTTLS_554, "mx1." + STARTTLS_554, "127.0.30.93",
                    "554 5.7.0 no TLS for you");
            startTls554Good = mx(STARTTLS_554, 20, "mx2." + STARTTLS_554, "127.0.30.94", pki.issue("mx2." + STARTTLS_554));
        } catch (RuntimeException e) {
            close(); // what did start is stopped again, so a failed start leaves no port bound
            throw e;
        }
    }

    /** Starts every server; binding ports 25, 53 and 443 needs root. */
    static MtaStsTestNetwork start(Path trustStore) {
        return new MtaStsTestNetwork(trustStore);
    }

    /**
     * Points James at this network and makes it trust the test CA through configuration only: the policy fetch
     * trust store and the SSRF allow-list in conf/mta-sts.properties, the MX trust store as mailet parameters.
     */
    JamesLauncher configure(JamesLauncher launcher) {
        launcher.smtp(JAMES_IP, 0).webAdmin(JAMES_IP, 0).dnsServer(DNS_IP)
                .confFile("mta-sts.properties", String.join("\n",
                        "# Written by EnforceEndToEndTest: policy hosts live on loopback, signed by the test CA.",
                        EngineSettings.FETCH_ALLOW_NETWORKS + "=127.0.0.0/8",
                        EngineSettings.FETCH_TRUST_STORE + "=" + trustStore,
                        EngineSettings.FETCH_TRUST_STORE_PASSWORD + "=" + PASSWORD,
                        // A new TXT id is seen within a second (RFC 8461 3.3 leaves the check interval to the sender).
                        EngineSettings.RESOLVER_MIN_CHECK_INTERVAL + "=1s", ""))
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE, trustStore.toString())
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_TYPE, "PKCS12")
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_PASSWORD, PASSWORD);
        hosts.forEach(launcher::hostsEntry);
        return launcher;
    }

    /** The MX hosts of enforce.test, in preference order. */
    List<TestSmtpServer> enforceMxHosts() {
        return List.of(enforceNoTls, enforceExpired, enforceWrongHost, enforceUntrusted, enforceOutsidePolicy, enforceGood);
    }

    /** Publishes policy rp2, which names the real MX too, under a new TXT id (RFC 8461 3.3). */
    void fixRetryPolicy() {
        policyHost.policy(RETRY_POLICY, policy("enforce", "mx-old.retrypolicy.test", RETRY_POLICY_MX));
        dns.remove("_mta-sts." + RETRY_POLICY, "TXT").txt("_mta-sts." + RETRY_POLICY, "v=STSv1; id=rp2;");
    }

    /** Replaces the MX with the expired certificate by one with a valid certificate, same name and address. */
    synchronized TestSmtpServer fixRetryMx() {
        retryMxBad.close();
        retryMxFixed = keep(TestSmtpServer.builder().bindAddress(RETRY_MX_IP).port(25).greetingName(RETRY_MX_HOST)
                .startTls(pki.issue(RETRY_MX_HOST)).start());
        return retryMxFixed;
    }

    private void publish(String domain, String id, String mode, String... mx) {
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + id + ";");
        policyHost.policy(domain, policy(mode, mx));
    }

    private static String policy(String mode, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\nmode: ").append(mode).append('\n');
        for (String host : mx) {
            text.append("mx: ").append(host).append('\n');
        }
        return text.append("max_age: 86400\n").toString();
    }

    private TestPki.ServerCertificate expired(String name) {
        Instant now = Instant.now();
        return pki.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), name);
    }

    /** @param certificate null: no STARTTLS offered */
    private TestSmtpServer mx(String domain, int preference, String host, String ip, TestPki.ServerCertificate certificate) {
        dns.mx(domain, preference, host).a(host, ip);
        hosts.put(host, ip);
        TestSmtpServer.Builder builder = TestSmtpServer.builder().bindAddress(ip).port(25).greetingName(host);
        if (certificate != null) {
            builder.startTls(certificate);
        }
        return keep(builder.start());
    }

    /** MX 10 of {@code domain}: offers STARTTLS and answers it with {@code reply}. */
    private TestSmtpServer refusingStartTls(String domain, String host, String ip, String reply) {
        dns.mx(domain, 10, host).a(host, ip);
        hosts.put(host, ip);
        return keep(TestSmtpServer.builder().bindAddress(ip).port(25).greetingName(host)
                .script(SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, reply)).start());
    }

    private <T extends AutoCloseable> T keep(T server) {
        servers.add(server);
        return server;
    }

    @Override
    public synchronized void close() {
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }
}
