package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.examples.demo.Sandbox;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;

/**
 * Design H1 through a real James 3.8.1: a recipient domain whose {@code _smtp._tls} record carries a 3,000-character
 * {@code mailto:} rua (it once blew the stack of the report run) sits next to a domain with a normal record. The
 * operator sends today's reports so far; the normal domain still gets its report by mail and HTTPS, and WebAdmin's
 * {@code /healthcheck} lists our three background loops as healthy. One James boot.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class HostileReportRecordEndToEndTest {

    private static final Duration DELIVERY = Duration.ofSeconds(60);
    // Sorts before plain.test: reports are sent domain after domain in this order.
    private static final String HOSTILE = "hostile.test";
    private static final List<String> OUR_CHECKS = List.of("mtasts-policy-refresher", "tlsrpt-recorder-writer",
        "tlsrpt-report-scheduler", "mtasts-dane-validator");

    private static Sandbox sandbox;
    private static JamesServerProcess james;
    private static HttpResponse<String> send;
    private static List<ReceivedMessage> reportMails;

    @BeforeAll
    static void deliverToBothDomainsAndSendTodaysReports() throws Exception {
        EndToEnd.avoidUtcMidnight(Duration.ofMinutes(3));
        sandbox = Sandbox.start("127.0.93.");
        String hugeMailbox = "r".repeat(3_000) + "@" + HOSTILE;
        sandbox.dns().zone(HOSTILE).mx(HOSTILE, 10, Sandbox.PLAIN_MX)
            .txt("_smtp._tls." + HOSTILE, chunks("v=TLSRPTv1; rua=mailto:" + hugeMailbox));
        james = sandbox.configure(JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(EndToEnd.runDirectory("hostile-record"))
                .smtp(sandbox.jamesIp(), 0)
                .webAdmin(sandbox.jamesIp(), 0), EndToEnd.dropIn(), EndToEnd.runDirectory("hostile-record-files"))
            .start();
        EndToEnd.submit(james, "alice@localhost", "mallory@" + HOSTILE, "to hostile", "Hello hostile.");
        EndToEnd.submit(james, "alice@localhost", "dave@" + Sandbox.PLAIN, "to plain", "Hello plain.");
        sandbox.mx(Sandbox.PLAIN_MX).awaitMessages(2, DELIVERY);
        awaitTodaysCounters(HOSTILE, Sandbox.PLAIN);

        send = james.webAdmin("POST", "/tlsrpt/days/today/reports?action=resend&partial=true", null);
        reportMails = sandbox.mx(Sandbox.COLLECTOR_MX).awaitMessages(1, DELIVERY);
    }

    @AfterAll
    static void stop() {
        if (james != null) {
            james.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** DNS character-strings hold at most 255 octets; a long record is several, joined by the reader (RFC 8460 3). */
    private static String[] chunks(String record) {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < record.length(); i += 255) {
            chunks.add(record.substring(i, Math.min(record.length(), i + 255)));
        }
        return chunks.toArray(new String[0]);
    }

    @Test
    void normalDomainShouldGetItsReportDespiteTheHostileOneBeforeIt() {
        assertThat(send.statusCode()).as(send.body() + "\n" + james.logTail(80)).isEqualTo(200);
        assertThat(send.body()).contains(
            "{\"policyDomain\":\"" + Sandbox.PLAIN + "\",\"rua\":\"mailto:" + Sandbox.REPORT_MAILBOX + "\",\"result\":\"sent\"}",
            "{\"policyDomain\":\"" + Sandbox.PLAIN + "\",\"rua\":\"" + Sandbox.COLLECTOR_URL + "\",\"result\":\"sent\"}");
        assertThat(reportMails).singleElement()
            .satisfies(mail -> assertThat(mail.dataAsString()).contains("TLS-Report-Domain: " + Sandbox.PLAIN));
        assertThat(sandbox.https().posts()).hasSize(1);
    }

    @Test
    void healthCheckShouldListOurLoopsAsHealthy() {
        HttpResponse<String> listed = james.webAdmin("GET", "/healthcheck/checks", null);
        HttpResponse<String> all = james.webAdmin("GET", "/healthcheck", null);

        assertThat(listed.body()).contains(OUR_CHECKS);
        for (String check : OUR_CHECKS) {
            HttpResponse<String> one = james.webAdmin("GET", "/healthcheck/checks/" + check, null);
            assertThat(one.statusCode()).as(check + ": " + one.body()).isEqualTo(200);
            assertThat(one.body()).as(check).contains("\"status\":\"healthy\"");
            assertThat(all.body()).contains("\"componentName\":\"" + check + "\"");
        }
    }

    private static void awaitTodaysCounters(String... domains) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = james.webAdmin("GET", "/tlsrpt/days/today", null).body();
            String seen = body;
            if (List.of(domains).stream().allMatch(d -> seen.contains("\"policyDomain\":\"" + d + "\""))) {
                return;
            }
            Thread.sleep(250); // polling another process: the recorder flushes its counters every second
        }
        throw new AssertionError("GET /tlsrpt/days/today never showed " + List.of(domains) + "; last answer: " + body
            + "\n" + james.logTail(60));
    }
}
