package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;

/**
 * {@code mta-sts check} end to end, in-process and on loopback only: a DNS server (TXT, MX, A), an HTTPS policy host
 * (names from test-hosts.txt) and SMTP servers on 127.0.0.51-53 standing in for MX hosts.
 */
class MtaStsCommandTest {

    private static final String GOOD_MX = "127.0.0.51";
    private static final String PLAIN_MX = "127.0.0.52";
    private static final String WRONG_NAME_MX = "127.0.0.53";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static LoopbackDnsServer dns;
    private static TestHttpsHost policyHost;
    private static final List<TestSmtpServer> MX_SERVERS = new ArrayList<>();
    private static int smtpPort;
    private static Path trustStore;
    private static TestPki pki;

    @BeforeAll
    static void start() {
        pki = TestPki.create("mta-sts cli test CA");
        trustStore = pki.writePemBundle(dir.resolve("ca.pem"));
        startMxServers();
        policyHost = TestHttpsHost.start("127.0.0.50", 0, pki.issue("mta-sts.cli-enforce.test", "mta-sts.cli-broken.test",
            "mta-sts.cli-testing.test", "mta-sts.cli-fetcherr.test").serverContext())
            .policy("cli-enforce.test", policy("enforce", "*.cli-enforce.test"))
            .policy("cli-broken.test", policy("enforce", "*.cli-enforce.test"))
            .policy("cli-testing.test", policy("testing", "mx2.cli-enforce.test"));
        dns = LoopbackDnsServer.start("127.0.0.50", 0).zone("test")
            .a("mx1.cli-enforce.test", GOOD_MX)
            .a("mx2.cli-enforce.test", PLAIN_MX)
            .a("mx3.cli-enforce.test", WRONG_NAME_MX)
            .a("mx.cli-elsewhere.test", GOOD_MX)
            .txt("_mta-sts.cli-enforce.test", "v=STSv1; id=20261123T000000")
            .mx("cli-enforce.test", 10, "mx1.cli-enforce.test")
            .mx("cli-enforce.test", 20, "mx2.cli-enforce.test")
            .mx("cli-enforce.test", 30, "mx3.cli-enforce.test")
            .mx("cli-enforce.test", 40, "mx.cli-elsewhere.test")
            .txt("_mta-sts.cli-broken.test", "v=STSv1; id=1")
            .mx("cli-broken.test", 10, "mx2.cli-enforce.test")
            .mx("cli-broken.test", 20, "mx3.cli-enforce.test")
            .mx("cli-broken.test", 30, "mx.cli-elsewhere.test")
            .txt("_mta-sts.cli-testing.test", "v=STSv1; id=2")
            .mx("cli-testing.test", 10, "mx2.cli-enforce.test")
            .mx("cli-none.test", 10, "mx1.cli-enforce.test")
            .txt("_mta-sts.cli-fetcherr.test", "v=STSv1; id=3")
            .mx("cli-fetcherr.test", 10, "mx1.cli-enforce.test")
            .txt("_mta-sts.cli-invalid.test", "v=STSv1; id=not valid!")
            .mx("cli-invalid.test", 10, "mx1.cli-enforce.test")
            .a("mx_1.cli-enforce.test", GOOD_MX)
            .mx("cli-oddmx.test", 10, "mx_1.cli-enforce.test")
            .servfail("_mta-sts.cli-dnserr.test")
            .mx("cli-dnserr.test", 10, "mx1.cli-enforce.test");
    }

    /** Three MX servers on distinct loopback addresses and one common port, as --port applies to every MX host. */
    private static void startMxServers() {
        for (int attempt = 0; attempt < 10 && MX_SERVERS.isEmpty(); attempt++) {
            TestSmtpServer good = TestSmtpServer.builder().bindAddress(GOOD_MX).port(0).greetingName("mx1.cli-enforce.test")
                .startTls(pki.issue("mx1.cli-enforce.test", "mx.cli-elsewhere.test")).start();
            try {
                TestSmtpServer plain = TestSmtpServer.builder().bindAddress(PLAIN_MX).port(good.port()).start();
                try {
                    TestSmtpServer wrong = TestSmtpServer.builder().bindAddress(WRONG_NAME_MX).port(good.port())
                        .startTls(pki.issue("somewhere-else.cli-other.test")).start();
                    MX_SERVERS.addAll(List.of(good, plain, wrong));
                    smtpPort = good.port();
                } catch (UncheckedIOException portTaken) {
                    plain.close();
                    good.close();
                }
            } catch (UncheckedIOException portTaken) {
                good.close();
            }
        }
        assertThat(MX_SERVERS).as("three MX servers on one port").hasSize(3);
    }

    @AfterAll
    static void stop() {
        MX_SERVERS.forEach(TestSmtpServer::close);
        if (policyHost != null) {
            policyHost.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void checkShouldReportEveryMxAndExitZeroWhenOneMatchingMxPassesTls() throws IOException {
        Run run = check("--json", "cli-enforce.test");

        assertThat(run.exit).isEqualTo(0);
        JsonNode report = run.json().get(0);
        assertThat(report.get("domain").asText()).isEqualTo("cli-enforce.test");
        assertThat(report.get("record").get("status").asText()).isEqualTo("valid");
        assertThat(report.get("record").get("id").asText()).isEqualTo("20261123T000000");
        JsonNode policy = report.get("policy");
        assertThat(policy.get("status").asText()).isEqualTo("valid");
        assertThat(policy.get("mode").asText()).isEqualTo("enforce");
        assertThat(policy.get("max_age").asLong()).isEqualTo(86400);
        assertThat(policy.get("mx").toString()).isEqualTo("[\"*.cli-enforce.test\"]");
        assertThat(policy.has("error")).isFalse();
        JsonNode mx = report.get("mx");
        assertThat(mx).hasSize(4);
        assertMx(mx.get(0), "mx1.cli-enforce.test", 10, true, true, "success");
        assertThat(mx.get(0).get("tls_version").asText()).isEqualTo("TLSv1.3");
        assertThat(mx.get(0).get("certificate").asText()).isEqualTo("valid");
        assertThat(mx.get(0).has("error")).isFalse();
        assertMx(mx.get(1), "mx2.cli-enforce.test", 20, true, false, "starttls-not-supported");
        assertThat(mx.get(1).has("tls_version")).isFalse();
        assertMx(mx.get(2), "mx3.cli-enforce.test", 30, true, true, "certificate-host-mismatch");
        assertThat(mx.get(2).get("certificate").asText()).isEqualTo("certificate-host-mismatch");
        assertThat(mx.get(2).has("tls_version")).isFalse();
        assertMx(mx.get(3), "mx.cli-elsewhere.test", 40, false, true, "validation-failure");
        assertThat(mx.get(3).get("failure_reason_code").asText()).isEqualTo("sts-mx-mismatch");
        assertThat(report.get("deliverable").asBoolean()).isTrue();
    }

    @Test
    void checkShouldExitOneWhenNoMatchingMxPassesTlsUnderEnforce() throws IOException {
        Run run = check("--json", "cli-broken.test");

        assertThat(run.exit).isEqualTo(1);
        JsonNode report = run.json().get(0);
        assertThat(report.get("deliverable").asBoolean()).isFalse();
        assertThat(report.get("verdict").asText()).contains("no MX host of cli-broken.test");
        assertThat(report.get("mx").findValuesAsText("result"))
            .containsExactly("starttls-not-supported", "certificate-host-mismatch", "validation-failure");
    }

    @Test
    void checkShouldExitZeroInTestingModeAlthoughTheOnlyMxLacksStartTls() throws IOException {
        Run run = check("--json", "cli-testing.test");

        assertThat(run.exit).isEqualTo(0);
        JsonNode report = run.json().get(0);
        assertThat(report.get("policy").get("mode").asText()).isEqualTo("testing");
        assertMx(report.get("mx").get(0), "mx2.cli-enforce.test", 10, true, false, "starttls-not-supported");
    }

    /** No certificate can name an MX host name that is no domain name: it is reported, never probed. */
    @Test
    void anMxHostNameThatIsNoDomainNameShouldBeReportedWithoutAProbe() throws IOException {
        Run run = check("--json", "cli-oddmx.test");

        assertThat(run.exit).isEqualTo(0);
        JsonNode mx = run.json().get(0).get("mx").get(0);
        assertThat(mx.get("host").asText()).isEqualTo("mx_1.cli-enforce.test");
        assertThat(mx.get("error").asText()).contains("'mx_1.cli-enforce.test' is not a domain name: '_' is allowed only");
        assertThat(mx.has("address")).isFalse();
        assertThat(mx.has("starttls")).isFalse();
    }

    @Test
    void checkShouldExitZeroAndOmitPolicyFieldsWhenDomainPublishesNoRecord() throws IOException {
        Run run = check("--json", "cli-none.test");

        assertThat(run.exit).isEqualTo(0);
        JsonNode report = run.json().get(0);
        assertThat(report.get("record").toString()).isEqualTo("{\"status\":\"absent\"}");
        assertThat(report.get("policy").toString()).isEqualTo("{\"status\":\"none\"}");
        JsonNode mx = report.get("mx").get(0);
        assertThat(mx.has("matches_policy")).isFalse();
        assertThat(mx.get("result").asText()).isEqualTo("success");
        assertThat(run.out).doesNotContain("null");
    }

    @Test
    void checkShouldReportFetchErrorAndExitOneWhenPolicyHostHasNoPolicy() throws IOException {
        Run run = check("--json", "cli-fetcherr.test");

        assertThat(run.exit).isEqualTo(1);
        JsonNode policy = run.json().get(0).get("policy");
        assertThat(policy.get("status").asText()).isEqualTo("sts-policy-fetch-error");
        assertThat(policy.get("error").asText()).contains("cli-fetcherr.test");
        assertThat(policy.has("mode")).isFalse();
    }

    @Test
    void checkShouldReportInvalidRecordAndDnsErrorAndExitOne() throws IOException {
        Run run = check("--json", "cli-invalid.test", "cli-dnserr.test");

        assertThat(run.exit).isEqualTo(1);
        List<JsonNode> reports = run.json();
        assertThat(reports.get(0).get("record").get("status").asText()).isEqualTo("invalid");
        assertThat(reports.get(0).get("record").get("error").asText()).contains("_mta-sts.cli-invalid.test");
        assertThat(reports.get(1).get("record").get("status").asText()).isEqualTo("dns-error");
        assertThat(reports.get(1).get("policy").get("status").asText()).isEqualTo("none");
    }

    @Test
    void everyMxShouldCarryItsProbeResultWhenThePolicyIsTemporarilyUnavailable() throws IOException {
        Run run = check("--json", "cli-dnserr.test", "cli-fetcherr.test");

        assertThat(run.exit).isEqualTo(1);
        for (JsonNode report : run.json()) {
            JsonNode mx = report.get("mx").get(0);
            assertThat(mx.get("host").asText()).isEqualTo("mx1.cli-enforce.test");
            assertThat(mx.get("starttls").asBoolean()).isTrue();
            assertThat(mx.get("certificate").asText()).isEqualTo("valid");
            assertThat(mx.get("result").asText()).as(report.get("domain").asText()).isEqualTo("success");
        }
        assertThat(run.json().get(0).get("mx").get(0).get("error").asText())
            .contains("MTA-STS policy of cli-dnserr.test temporarily unavailable");
    }

    @Test
    void checkShouldPrintOneJsonLinePerDomainAndExitOneWhenAnyDomainFails() throws IOException {
        Run run = check("--json", "cli-none.test", "cli-broken.test", "cli-enforce.test");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.json()).extracting(r -> r.get("domain").asText())
            .containsExactly("cli-none.test", "cli-broken.test", "cli-enforce.test");
    }

    @Test
    void checkShouldAcceptPkcs12TrustStoreWithPassword() throws IOException {
        Path p12 = pki.writePkcs12TrustStore(dir.resolve("ca.p12"), "secret".toCharArray());

        Run run = run("check", "--json", "--dns", dnsAddress(), "--trust-store", p12.toString(),
            "--trust-store-password", "secret", "--allow-network", "127.0.0.0/8", "--port", String.valueOf(smtpPort),
            "--policy-port", String.valueOf(policyHost.port()), "cli-enforce.test");

        assertThat(run.exit).as(run.err).isEqualTo(0);
    }

    @Test
    void checkShouldPrintReadableReportWithoutJson() {
        Run run = check("cli-broken.test");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).contains("cli-broken.test: PROBLEM")
            .contains("record  _mta-sts.cli-broken.test: valid (id 1)")
            .contains("policy  valid, mode enforce, max_age 86400, mx *.cli-enforce.test")
            .contains("10 mx2.cli-enforce.test [127.0.0.52]: matches policy, no STARTTLS -> starttls-not-supported")
            .contains("30 mx.cli-elsewhere.test [127.0.0.51]: does NOT match policy")
            .contains("verdict enforce: no MX host");
    }

    @Test
    void checkShouldFailPolicyFetchWhenPolicyHostIsNotAllowListed() throws IOException {
        // The fetcher's SSRF guard refuses loopback policy hosts unless --allow-network names them.
        Run run = run("check", "--json", "--dns", dnsAddress(), "--trust-store", trustStore.toString(),
            "--port", String.valueOf(smtpPort), "--policy-port", String.valueOf(policyHost.port()), "cli-enforce.test");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.json().get(0).get("policy").get("status").asText()).isEqualTo("sts-policy-fetch-error");
    }

    @Test
    void checkShouldExitTwoWithMessageOnUsageErrors() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "this is no certificate");

        assertUsage(run("check", "--frobnicate", "x.test"), "unknown option --frobnicate");
        assertUsage(run("check", "--json"), "no domain given");
        assertUsage(run("check", "--allow-network", "127.0.0.0/99", "x.test"), "--allow-network");
        assertUsage(run("check", "--trust-store", garbage.toString(), "x.test"), garbage.toString());
        assertUsage(run("check", "--trust-store", dir.resolve("missing.pem").toString(), "x.test"), "no readable file");
        assertUsage(run("verify", "x.test"), "unknown command 'verify'");
        assertUsage(run(), "Usage: mta-sts check");
    }

    @Test
    void helpShouldPrintUsageAndExitZero() {
        Run run = run("--help");

        assertThat(run.exit).isEqualTo(0);
        assertThat(run.out).contains("Usage: mta-sts check [options] DOMAIN...").contains("--allow-network CIDR");
    }

    private static void assertUsage(Run run, String message) {
        assertThat(run.exit).as(run.err).isEqualTo(2);
        assertThat(run.err).contains(message);
        assertThat(run.out).isEmpty();
    }

    private static void assertMx(JsonNode mx, String host, int preference, boolean matches, boolean startTls,
                                 String result) {
        assertThat(mx.get("host").asText()).isEqualTo(host);
        assertThat(mx.get("preference").asInt()).isEqualTo(preference);
        assertThat(mx.get("matches_policy").asBoolean()).as(host + " matches_policy").isEqualTo(matches);
        assertThat(mx.get("starttls").asBoolean()).as(host + " starttls").isEqualTo(startTls);
        assertThat(mx.get("result").asText()).as(host + " result").isEqualTo(result);
    }

    private static Run check(String... args) {
        List<String> all = new ArrayList<>(List.of("check", "--dns", dnsAddress(), "--trust-store", trustStore.toString(),
            "--allow-network", "127.0.0.0/8", "--port", String.valueOf(smtpPort),
            "--policy-port", String.valueOf(policyHost.port()), "--ehlo", "client.cli.test"));
        all.addAll(Arrays.asList(args));
        return run(all.toArray(new String[0]));
    }

    private static String dnsAddress() {
        return "127.0.0.50:" + dns.port();
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = MtaStsCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String policy(String mode, String... mx) {
        return "version: STSv1\r\nmode: " + mode + "\r\n"
            + Stream.of(mx).map(m -> "mx: " + m + "\r\n").collect(Collectors.joining()) + "max_age: 86400\r\n";
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

        List<JsonNode> json() throws IOException {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : out.split("\\R")) {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            }
            return nodes;
        }
    }
}
