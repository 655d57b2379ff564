package io.github.jamesmtasts.examples;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.engine.EngineSettings;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * The remote side of {@link DaneEndToEndTest}, all on 127.0.114.0/24: one DNS server on port 53 that serves the
 * DNSSEC-signed zone {@code test.} (its KSK is the trust anchor James is given: a private test root), the HTTPS policy
 * host (port 443) and one {@link TestSmtpServer} per MX host (port 25 each).
 *
 * <pre>
 * twomx.test       secure MX RRset; MX 10 and MX 20 each publish TLSA 3 1 1 (DANE-EE, SPKI, SHA-256); only MX 20's
 *                  certificate matches its record (RFC 7672 3.1): the mail goes to MX 20 only
 * bogus.test       secure MX RRset; its MX's TLSA answer carries a broken signature (bogus, RFC 7672 2.1.1): the MX
 *                  is not used, the mail waits in the queue
 * precedence.test  MTA-STS enforce policy naming only mx-other.precedence.test; the secure MX RRset names
 *                  mx.precedence.test, whose certificate matches its TLSA record: DANE decides (RFC 8461 2)
 * senders.test     the sender's domain; its MX (no STARTTLS, no TLSA) would receive any bounce
 * </pre>
 *
 * Every DANE MX host's certificate comes from a CA nobody trusts (neither the JVM nor {@code mtasts.trustStore}):
 * only a TLSA match can make James accept it.
 */
final class DaneTestNetwork implements AutoCloseable {
    static final String TWO_MX = "twomx.test";
    static final String BOGUS = "bogus.test";
    static final String PRECEDENCE = "precedence.test";
    static final List<String> RECIPIENT_DOMAINS = List.of(TWO_MX, BOGUS, PRECEDENCE);
    static final String SENDER = "alice@senders.test";
    static final String TWO_MX_MISMATCH = "mx1.twomx.test";
    static final String TWO_MX_MATCH = "mx2.twomx.test";
    static final String BOGUS_MX = "mx.bogus.test";
    static final String PRECEDENCE_MX = "mx.precedence.test";
    static final String PRECEDENCE_POLICY_MX = "mx-other.precedence.test";

    private static final String JAMES_IP = "127.0.114.1";
    private static final String DNS_IP = "127.0.114.53";
    private static final String POLICY_IP = "127.0.114.80";
    private static final String PASSWORD = "changeit";

    /** Signs the policy host's certificate: trusted by James through conf/mta-sts.properties and the mailet. */
    private final TestPki pki = TestPki.create("DaneEndToEndTest CA");
    /** Signs the DANE MX hosts' certificates: trusted by nobody. */
    private final TestPki daneOnlyPki = TestPki.create("DANE-EE only, untrusted CA");
    private final Path trustStore;
    private final Path trustAnchor;
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private final Map<String, String> tlsa = new LinkedHashMap<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    final LoopbackDnsServer dns;
    final TestHttpsHost policyHost;
    final TestSmtpServer twoMxMismatch;
    final TestSmtpServer twoMxMatch;
    final TestSmtpServer bogusMx;
    final TestSmtpServer precedenceMx;
    final TestSmtpServer senderMx;

    private DaneTestNetwork(Path folder) {
        this.trustStore = pki.writePkcs12TrustStore(folder.resolve("dane-ca.p12"), PASSWORD.toCharArray());
        try {
            dns = keep(EndToEnd.dnsOnPort53(DNS_IP));
            // The whole test. zone is signed; its KSK is the trust anchor (no root, no real TLD involved).
            dns.signedZone("test");
            trustAnchor = dns.writeTrustAnchor(folder.resolve("dane-trust-anchor.txt"));
            policyHost = keep(TestHttpsHost.start(POLICY_IP, 443, pki.issue("mta-sts." + PRECEDENCE).serverContext()));
            hosts.put("mta-sts." + PRECEDENCE, POLICY_IP);

            TestPki.ServerCertificate mismatching = daneOnlyPki.issue(TWO_MX_MISMATCH);
            TestPki.ServerCertificate elsewhere = daneOnlyPki.issue("key.published.for.mx1.test");
            twoMxMismatch = mx(TWO_MX, 10, TWO_MX_MISMATCH, "127.0.114.11", mismatching);
            // MX 10 publishes the digest of another key than the one it presents.
            publishTlsa(TWO_MX_MISMATCH, elsewhere.certificate());
            TestPki.ServerCertificate matching = daneOnlyPki.issue(TWO_MX_MATCH);
            twoMxMatch = mx(TWO_MX, 20, TWO_MX_MATCH, "127.0.114.12", matching);
            publishTlsa(TWO_MX_MATCH, matching.certificate());

            TestPki.ServerCertificate bogusCertificate = daneOnlyPki.issue(BOGUS_MX);
            bogusMx = mx(BOGUS, 10, BOGUS_MX, "127.0.114.21", bogusCertificate);
            publishTlsa(BOGUS_MX, bogusCertificate.certificate());
            dns.bogus(tlsaName(BOGUS_MX));

            dns.txt("_mta-sts." + PRECEDENCE, "v=STSv1; id=p1;");
            policyHost.policy(PRECEDENCE, "version: STSv1\nmode: enforce\nmx: " + PRECEDENCE_POLICY_MX
                + "\nmax_age: 86400\n");
            TestPki.ServerCertificate precedenceCertificate = daneOnlyPki.issue(PRECEDENCE_MX);
            precedenceMx = mx(PRECEDENCE, 10, PRECEDENCE_MX, "127.0.114.31", precedenceCertificate);
            publishTlsa(PRECEDENCE_MX, precedenceCertificate.certificate());

            senderMx = mx("senders.test", 10, "mx.senders.test", "127.0.114.71", null);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts every server (ports 25, 53 and 443 need root) and writes the trust store and trust anchor files. */
    static DaneTestNetwork start(Path folder) {
        return new DaneTestNetwork(folder);
    }

    /**
     * Points James at this network: DNS (James's own and the DANE lookup's validating resolver) at the signed server,
     * the test root's KSK as the only DNSSEC trust anchor, DANE on in the mailet. The policy host's CA is trusted
     * through configuration only; the DANE hosts' CA not at all.
     */
    JamesLauncher configure(JamesLauncher launcher) {
        launcher.smtp(JAMES_IP, 0).webAdmin(JAMES_IP, 0).dnsServer(DNS_IP)
            .confFile("mta-sts.properties", String.join("\n",
                "# Written by DaneEndToEndTest: a DNSSEC-signed test root on loopback, policy hosts signed by the test CA.",
                "dane.resolvers=" + DNS_IP,
                "dane.trustAnchors=" + trustAnchor,
                EngineSettings.FETCH_ALLOW_NETWORKS + "=127.0.0.0/8",
                EngineSettings.FETCH_TRUST_STORE + "=" + trustStore,
                EngineSettings.FETCH_TRUST_STORE_PASSWORD + "=" + PASSWORD, ""))
            .mailetParameter(MtaStsDeliverySettings.DANE, "true")
            .mailetParameter(MtaStsDeliverySettings.TRUST_STORE, trustStore.toString())
            .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_TYPE, "PKCS12")
            .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_PASSWORD, PASSWORD);
        hosts.forEach(launcher::hostsEntry);
        return launcher;
    }

    /** The TLSA record published for {@code mxHost}, in presentation form ({@code 3 1 1 <hex>}). */
    String tlsaOf(String mxHost) {
        return tlsa.get(mxHost);
    }

    private void publishTlsa(String mxHost, X509Certificate certificate) {
        TlsaRecord record = TlsaRecord.of(TlsaRecord.DANE_EE, TlsaRecord.SELECTOR_SPKI, TlsaRecord.MATCH_SHA256,
            spkiSha256(certificate));
        dns.tlsa(tlsaName(mxHost), record.usage(), record.selector(), record.matchingType(), record.data());
        tlsa.put(mxHost, record.presentation());
    }

    private static String tlsaName(String mxHost) {
        // RFC 7672 2.2.3: the TLSA base domain of an MX host, port 25, TCP.
        return "_25._tcp." + mxHost;
    }

    /** RFC 6698 2.1.2/2.1.3 selector 1 (SubjectPublicKeyInfo), matching type 1 (SHA-256). */
    private static byte[] spkiSha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
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
