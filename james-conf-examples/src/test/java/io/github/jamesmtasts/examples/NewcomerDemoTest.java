package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.examples.demo.NewcomerDemo;

/**
 * The README's demo, in its non-interactive mode (what {@code -Ddemo.exit=true} runs), on its own sandbox network:
 * its output must tell each mail's fate and show the TLS-RPT report JSON.
 */
@Timeout(value = 7, unit = java.util.concurrent.TimeUnit.MINUTES)
class NewcomerDemoTest {
    private static final String PREFIX = "127.0.78.";

    @Test
    void demoShouldTellEachMailsFateAndShowTheReports() throws Exception {
        EndToEnd.avoidUtcMidnight(Duration.ofMinutes(3));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try (NewcomerDemo demo = new NewcomerDemo(EndToEnd.distribution(), EndToEnd.dropIn(),
                EndToEnd.runDirectory("demo"), PREFIX, 0, 0, out)) {
            demo.run();
            demo.printExploration();
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertThat(printed).contains(
            "Mail \"demo 1: enforce\" to bob@enforce.test  [MTA-STS mode enforce, policy id 20261123enforce",
            "  REFUSED    mx-bad.enforce.test (" + PREFIX + "26): certificate-host-mismatch",
            "  DELIVERED to mx-good.enforce.test (" + PREFIX + "25) over TLSv1.",
            "Mail \"demo 2: testing\" to carol@testing.test  [MTA-STS mode testing",
            "  DELIVERED to mx.testing.test (" + PREFIX + "27) over TLSv1.",
            "TLS problem recorded for TLS-RPT: certificate-expired",
            "Mail \"demo 3: no policy\" to dave@plain.test  [no MTA-STS policy",
            "  DELIVERED to mx.plain.test (" + PREFIX + "28) over TLSv1.",
            "GET /tlsrpt/days/today/reports/enforce.test  ->  200",
            "\"result-type\": \"certificate-host-mismatch\"",
            "\"receiving-mx-hostname\": \"mx-bad.enforce.test\"",
            "\"result-type\": \"certificate-expired\"",
            "\"policy-type\": \"no-policy-found\"",
            "/tlsrpt/days/today/reports?action=resend&partial=true",
            "tlsrpt._domainkey.localhost. IN TXT \"v=DKIM1; k=rsa; p=",
            "report mail for enforce.test: DKIM signature verified (d=localhost, s=tlsrpt",
            "report mail for testing.test: DKIM signature verified (d=localhost, s=tlsrpt",
            "report mail for plain.test: DKIM signature verified (d=localhost, s=tlsrpt");
        assertThat(printed).doesNotContain("NOT DELIVERED", "NOT verified");
    }
}
