package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * {@code mta-sts check --dane} end to end on loopback, with the delivery's own DNSSEC-validating lookup and DANE trust
 * manager: a signed test zone {@code test.} (its KSK given with {@code --trust-anchors}), MX hosts on 127.0.115.0/24
 * whose certificates come from a CA nobody trusts, TLSA 3 1 1 records that match or do not, and a bogus TLSA answer.
 */
class MtaStsCommandDaneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MATCH_IP = "127.0.115.11";
    private static final String MISMATCH_IP = "127.0.115.12";
    private static final String BOGUS_IP = "127.0.115.13";
    private static final String DOMAIN = "cli-dane.test";
    private static final String BOGUS_DOMAIN = "cli-dane-bogus.test";

    @TempDir
    static Path dir;

    private static final TestPki UNTRUSTED = TestPki.create("MtaStsCommandDaneTest untrusted CA");
    private static final TestPki TRUSTED = TestPki.create("MtaStsCommandDaneTest trusted CA");
    private static final List<TestSmtpServer> SERVERS = new ArrayList<>();
    private static LoopbackDnsServer dns;
    private static Path trustAnchors;
    private static Path trustStore;
    private static String matchingTlsa;

    @BeforeAll
    static void start() {
        TestPki.ServerCertificate matching = UNTRUSTED.issue("mx1." + DOMAIN);
        TestPki.ServerCertificate mismatching = UNTRUSTED.issue("mx2." + DOMAIN);
        TestPki.ServerCertificate bogus = UNTRUSTED.issue("mx." + BOGUS_DOMAIN);
        startServers(matching, mismatching, bogus);
        dns = LoopbackDnsServer.start("127.0.115.53", 0);
        dns.signedZone("test")
            .mx(DOMAIN, 10, "mx1." + DOMAIN).a("mx1." + DOMAIN, MATCH_IP)
            .mx(DOMAIN, 20, "mx2." + DOMAIN).a("mx2." + DOMAIN, MISMATCH_IP)
            .mx(BOGUS_DOMAIN, 10, "mx." + BOGUS_DOMAIN).a("mx." + BOGUS_DOMAIN, BOGUS_IP);
        matchingTlsa = tlsa("mx1." + DOMAIN, matching.certificate());
        // MX 20 publishes the digest of another key than the one it presents.
        tlsa("mx2." + DOMAIN, UNTRUSTED.issue("elsewhere.test").certificate());
        tlsa("mx." + BOGUS_DOMAIN, bogus.certificate());
        dns.bogus("_25._tcp.mx." + BOGUS_DOMAIN);
        trustAnchors = dns.writeTrustAnchor(dir.resolve("anchors.txt"));
        trustStore = TRUSTED.writePemBundle(dir.resolve("ca.pem"));
    }

    private static void startServers(TestPki.ServerCertificate... certificates) {
        String[] ips = {MATCH_IP, MISMATCH_IP, BOGUS_IP};
        for (int attempt = 0; attempt < 10 && SERVERS.isEmpty(); attempt++) {
            List<TestSmtpServer> started = new ArrayList<>();
            try {
                for (int i = 0; i < ips.length; i++) {
                    started.add(TestSmtpServer.builder().bindAddress(ips[i])
                        .port(started.isEmpty() ? 0 : started.get(0).port()).startTls(certificates[i]).start());
                }
                SERVERS.addAll(started);
            } catch (UncheckedIOException portTaken) {
                started.forEach(TestSmtpServer::close);
            }
        }
        assertThat(SERVERS).as("three MX servers on one port").hasSize(3);
    }

    private static String tlsa(String host, X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            TlsaRecord record = TlsaRecord.of(TlsaRecord.DANE_EE, TlsaRecord.SELECTOR_SPKI, TlsaRecord.MATCH_SHA256,
                digest);
            dns.tlsa("_25._tcp." + host, record.usage(), record.selector(), record.matchingType(), record.data());
            return record.presentation();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(TestSmtpServer::close);
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void daneShouldAuthenticateTheMatchingMxAndReportTheMismatchAsTlsaInvalid() throws IOException {
        Run run = check("--json", "--dane", DOMAIN);

        assertThat(run.exit).as(run.err + run.out).isEqualTo(0);
        JsonNode report = JSON.readTree(run.out);
        assertThat(report.get("dane").get("status").asText()).isEqualTo("secure");
        JsonNode match = report.get("mx").get(0);
        assertThat(match.get("dane").get("state").asText()).isEqualTo("authenticate");
        assertThat(match.get("dane").get("tlsa").get(0).asText()).isEqualTo(matchingTlsa);
        assertThat(match.get("tlsa_match").asBoolean()).isTrue();
        assertThat(match.get("result").asText()).isEqualTo("success");
        JsonNode mismatch = report.get("mx").get(1);
        assertThat(mismatch.get("dane").get("state").asText()).isEqualTo("authenticate");
        assertThat(mismatch.get("tlsa_match").asBoolean()).isFalse();
        assertThat(mismatch.get("result").asText()).isEqualTo("tlsa-invalid");
        assertThat(report.get("verdict").asText()).startsWith("DANE: mx1.cli-dane.test presents a certificate");
    }

    @Test
    void withoutDaneTheSameHostsFailThePkixChecks() throws IOException {
        Run run = check("--json", DOMAIN);

        JsonNode report = JSON.readTree(run.out);
        assertThat(report.has("dane")).isFalse();
        assertThat(report.get("mx").findValuesAsText("result"))
            .containsExactly("certificate-not-trusted", "certificate-not-trusted");
        assertThat(run.out).doesNotContain("tlsa_match");
    }

    @Test
    void aBogusTlsaAnswerShouldMakeTheHostUnusableAndTheDomainUndeliverable() throws IOException {
        Run run = check("--json", "--dane", BOGUS_DOMAIN);

        assertThat(run.exit).isEqualTo(1);
        JsonNode mx = JSON.readTree(run.out).get("mx").get(0);
        assertThat(mx.get("dane").get("state").asText()).isEqualTo("unusable");
        assertThat(mx.get("dane").get("failure").asText()).isEqualTo("dnssec-invalid");
        assertThat(mx.get("result").asText()).isEqualTo("dnssec-invalid");
    }

    @Test
    void theWrongTrustAnchorShouldMakeEverythingUnusableNeverInsecure() throws IOException {
        LoopbackDnsServer other = LoopbackDnsServer.start("127.0.115.54", 0);
        Path wrongAnchors;
        try {
            other.signedZone("test");
            wrongAnchors = other.writeTrustAnchor(dir.resolve("other-anchors.txt"));
        } finally {
            other.close();
        }

        Run run = run("check", "--json", "--dane", "--trust-anchors", wrongAnchors.toString(), "--dns", dnsAddress(),
            "--trust-store", trustStore.toString(), "--port", String.valueOf(SERVERS.get(0).port()), "--timeout", "5",
            DOMAIN);

        assertThat(run.exit).isEqualTo(1);
        JsonNode report = JSON.readTree(run.out);
        assertThat(report.get("dane").get("status").asText()).isEqualTo("unusable");
        assertThat(report.get("dane").get("failure").asText()).isEqualTo("dnssec-invalid");
        assertThat(report.get("mx").findValuesAsText("result")).containsOnly("dnssec-invalid");
    }

    @Test
    void anUnreadableTrustAnchorFileShouldBeAUsageError() {
        Run run = run("check", "--dane", "--trust-anchors", dir.resolve("missing.txt").toString(), DOMAIN);

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--trust-anchors");
    }

    private static Run check(String... args) {
        List<String> all = new ArrayList<>(List.of("check", "--dns", dnsAddress(), "--trust-anchors",
            trustAnchors.toString(), "--trust-store", trustStore.toString(), "--port",
            String.valueOf(SERVERS.get(0).port()), "--ehlo", "client.cli.test", "--timeout", "5"));
        all.addAll(Arrays.asList(args));
        if (!all.contains("--dane")) {
            // --trust-anchors is for --dane only.
            int at = all.indexOf("--trust-anchors");
            all.remove(at + 1);
            all.remove(at);
        }
        return run(all.toArray(new String[0]));
    }

    private static String dnsAddress() {
        return "127.0.115.53:" + dns.port();
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = MtaStsCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }
    }
}
