package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.examples.clock.ShiftedClockJames;
import io.github.jamesmtasts.examples.demo.Sandbox;
import io.github.jamesmtasts.mtasts.engine.EngineSettings;
import io.github.jamesmtasts.tlsrpt.send.ReportScheduler;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;

/**
 * The daily TLS-RPT schedule (RFC 8460 4.1) on a real James 3.8.1 whose clock crosses 00:00 UTC: James's own
 * {@code Clock} binding is shifted ({@link ShiftedClockJames}) to day D shortly before midnight, mails are delivered
 * to {@code enforce.test} (one refused MX, one good) and {@code plain.test}, both publishing
 * {@code _smtp._tls} with a {@code mailto:} and an {@code https:} rua; then, with no WebAdmin request other than
 * reads, D's report of each domain must arrive once at each destination after midnight, within the send window,
 * the mail DKIM-signed (checked with jDKIM's verifier against the key in the sandbox DNS). The second test stops
 * James before midnight and starts it again hours after: the missed reports go out at its first pass.
 *
 * <p>The schedule is shortened through the report mailet's documented settings only: {@code sendWindow} 10s,
 * {@code tickInterval} 2s.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class DailyScheduleEndToEndTest {
    private static final Duration SEND_WINDOW = Duration.ofSeconds(10);
    private static final Duration TICK = Duration.ofSeconds(2);
    /** James's clock at its start: enough for the boot and the deliveries to happen on day D on a loaded machine. */
    private static final Duration BEFORE_MIDNIGHT = Duration.ofSeconds(45);
    /** Margin on top of the send window and one pass for a loaded machine ("within seconds", not a timing test). */
    private static final Duration MARGIN = Duration.ofSeconds(20);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final List<String> DOMAINS = List.of(Sandbox.ENFORCE, Sandbox.PLAIN);

    @Test
    void reportsOfDayDShouldArriveOncePerDestinationAfterMidnightWithinTheSendWindow() throws Exception {
        LocalDate day = dayD();
        Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        // The send window of D's reports on James's clock: first due from 00:00:10 on, at the first pass after.
        Instant windowStart = midnight.plus(ReportScheduler.SETTLE);
        Instant windowEnd = windowStart.plus(SEND_WINDOW).plus(TICK);
        try (Sandbox sandbox = sandbox("127.0.66.")) {
            ShiftedClockJames clock = ShiftedClockJames.readingNow(midnight.minus(BEFORE_MIDNIGHT));
            try (JamesServerProcess james = start(sandbox, clock, "daily-schedule")) {
                deliverAndAwaitCountersOf(day, sandbox, james);
                Instant checked = clock.jamesTime(Instant.now());
                int mailsBeforeMidnight = collectorMails(sandbox).size();
                int postsBeforeMidnight = sandbox.https().posts().size();
                if (checked.isBefore(windowStart)) {
                    assertThat(mailsBeforeMidnight + postsBeforeMidnight).as("reports sent before their window")
                        .isZero();
                }

                Duration wait = Duration.between(Instant.now(), clock.realTime(windowEnd)).plus(MARGIN);
                List<ReceivedMessage> mails = awaitReports(sandbox, james, wait);
                assertOncePerDestination(sandbox, james, mails);
                assertReportsOf(day, sandbox, mails, windowStart, windowEnd.plus(MARGIN));
                // Only reads (GET) went to WebAdmin: the scheduled pass sent them.
                assertThat(james.log()).doesNotContain("WebAdmin send", "WebAdmin resend");
            }
        }
    }

    @Test
    void jamesDownAtMidnightShouldSendDayDsReportsAfterItStartsAgain() throws Exception {
        LocalDate day = dayD();
        Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        // Outside the working directories, which every start recreates: the counters must survive the restart.
        Path database = EndToEnd.runDirectory("daily-schedule-down-db");
        Folders.deleteRecursively(database);
        try (Sandbox sandbox = sandbox("127.0.67.")
                .mtaStsProperty(EngineSettings.STORE_EMBEDDED_PATH, database.resolve("mtasts").toString())) {
            ShiftedClockJames beforeMidnight = ShiftedClockJames.readingNow(midnight.minus(Duration.ofMinutes(10)));
            try (JamesServerProcess james = start(sandbox, beforeMidnight, "daily-schedule-down-1")) {
                deliverAndAwaitCountersOf(day, sandbox, james);
            }
            assertThat(collectorMails(sandbox)).as("report mails before midnight").isEmpty();
            assertThat(sandbox.https().posts()).as("report POSTs before midnight").isEmpty();

            // Down at midnight and for two hours after: D's send times (00:00:10 + up to 10 s) passed meanwhile.
            Instant restart = midnight.plus(Duration.ofHours(2));
            ShiftedClockJames afterMidnight = ShiftedClockJames.readingNow(restart);
            try (JamesServerProcess james = start(sandbox, afterMidnight, "daily-schedule-down-2")) {
                List<ReceivedMessage> mails = awaitReports(sandbox, james, TICK.plus(MARGIN));
                assertOncePerDestination(sandbox, james, mails);
                // Composed after the restart (James's boot included in the upper bound).
                assertReportsOf(day, sandbox, mails, restart, restart.plus(DELIVERY).plus(TICK).plus(MARGIN));
                assertThat(james.log()).doesNotContain("WebAdmin send", "WebAdmin resend");
            }
        }
    }

    private static Sandbox sandbox(String prefix) {
        return Sandbox.start(prefix).reportSchedule(SEND_WINDOW.toSeconds() + "s", TICK.toSeconds() + "s");
    }

    /** Day D: yesterday on this machine, so James's clock runs behind it (no certificate looks "not yet valid"). */
    private static LocalDate dayD() {
        return LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC).minusDays(1);
    }

    private static JamesServerProcess start(Sandbox sandbox, ShiftedClockJames clock, String run) {
        JamesLauncher launcher = JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
            .workingDirectory(EndToEnd.runDirectory(run))
            .smtp(sandbox.jamesIp(), 0)
            .webAdmin(sandbox.jamesIp(), 0);
        sandbox.configure(launcher, EndToEnd.dropIn(), EndToEnd.runDirectory(run + "-files"));
        return clock.shift(launcher, EndToEnd.runDirectory(run + "-files")).start();
    }

    /** One refused and one good session to enforce.test, one good session to plain.test, all counted on {@code day}. */
    private static void deliverAndAwaitCountersOf(LocalDate day, Sandbox sandbox, JamesServerProcess james)
            throws Exception {
        EndToEnd.submit(james, "alice@localhost", "bob@" + Sandbox.ENFORCE, "to enforce", "Hello enforce.");
        EndToEnd.submit(james, "alice@localhost", "dave@" + Sandbox.PLAIN, "to plain", "Hello plain.");
        sandbox.mx(Sandbox.GOOD_ENFORCE_MX).awaitMessages(1, DELIVERY);
        sandbox.mx(Sandbox.PLAIN_MX).awaitMessages(1, DELIVERY);
        String expected = "\"successfulSessions\":2,\"failedSessions\":1";
        JamesObservations.awaitAtLeast(() -> james.webAdmin("GET", "/tlsrpt/days/" + day, null).body()
            .contains(expected) ? 1 : 0, 1, DELIVERY, "counters " + expected + " of " + day
            + " (sessions recorded after midnight would count on the next day: James booted too slowly?)", james);
    }

    /** Waits for a report mail and a POST for each domain; returns the mails. */
    private static List<ReceivedMessage> awaitReports(Sandbox sandbox, JamesServerProcess james, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        JamesObservations.awaitAtLeast(() -> collectorMails(sandbox).size(), DOMAINS.size(), max,
            "report mails at " + Sandbox.COLLECTOR_MX, james);
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        JamesObservations.awaitAtLeast(() -> sandbox.https().posts().size(), DOMAINS.size(), left,
            "report POSTs at " + Sandbox.COLLECTOR_URL, james);
        return collectorMails(sandbox);
    }

    /**
     * RFC 8460 5.3/5.4, each rua on its own: one mail and one POST per domain, and nothing more during three further
     * passes. The send log names each destination once.
     */
    private static void assertOncePerDestination(Sandbox sandbox, JamesServerProcess james, List<ReceivedMessage> seen)
            throws Exception {
        Thread.sleep(TICK.multipliedBy(3).toMillis()); // three more passes of another process: nothing to wait on here
        List<ReceivedMessage> mails = collectorMails(sandbox);
        List<TestHttpsHost.Post> posts = sandbox.https().posts();
        assertThat(mails).hasSize(DOMAINS.size()).hasSameSizeAs(seen);
        assertThat(posts).hasSize(DOMAINS.size());
        Map<String, Integer> mailsPerDomain = new TreeMap<>();
        for (ReceivedMessage mail : mails) {
            mailsPerDomain.merge(ReportArrivals.reportDomain(mail), 1, Integer::sum);
        }
        assertThat(mailsPerDomain).containsOnlyKeys(DOMAINS).allSatisfy((domain, count) -> assertThat(count).isOne());
        for (String domain : DOMAINS) {
            String sentLines = "for " + domain + " sent to ";
            assertThat(JamesObservations.occurrences(james.log(), sentLines + "mailto:" + Sandbox.REPORT_MAILBOX))
                .as(sentLines + "mailto:").isOne();
            assertThat(JamesObservations.occurrences(james.log(), sentLines + Sandbox.COLLECTOR_URL))
                .as(sentLines + "https:").isOne();
        }
    }

    /**
     * Each mail is D's whole-day report of its domain (not a partial preview), composed by James between
     * {@code notBefore} and {@code notAfter} on its clock (the Date header), DKIM-signed by the submitter; the POST of
     * the same domain carries the same report.
     */
    private static void assertReportsOf(LocalDate day, Sandbox sandbox, List<ReceivedMessage> mails, Instant notBefore,
                                        Instant notAfter) throws Exception {
        List<String> posted = sandbox.https().posts().stream().map(ReportArrivals::json)
            .collect(Collectors.toList());
        for (ReceivedMessage mail : mails) {
            String domain = ReportArrivals.reportDomain(mail);
            String json = ReportArrivals.json(mail);
            assertThat(ReportArrivals.text(json, "start-datetime")).isEqualTo(day + "T00:00:00Z");
            assertThat(ReportArrivals.text(json, "end-datetime")).isEqualTo(day + "T23:59:59Z");
            assertThat(ReportArrivals.text(json, "report-id")).startsWith(day + "_" + domain + "_")
                .doesNotContain("partial");
            assertThat(ReportArrivals.number(json, "total-successful-session-count")).isOne();
            assertThat(ReportArrivals.number(json, "total-failure-session-count"))
                .isEqualTo(domain.equals(Sandbox.ENFORCE) ? 1 : 0);
            assertThat(posted).as("POSTed reports").contains(json);
            Instant composed = ReportArrivals.parse(mail).getSentDate().toInstant();
            assertThat(composed).as("Date of the report mail for " + domain + " (James's clock)")
                .isAfterOrEqualTo(notBefore).isBefore(notAfter);
            assertThat(sandbox.verifyDkim(mail.data())).singleElement().satisfies(signature ->
                assertThat(signature.getDToken().toString()).isEqualTo(Sandbox.SUBMITTER));
        }
    }

    private static List<ReceivedMessage> collectorMails(Sandbox sandbox) {
        return sandbox.mx(Sandbox.COLLECTOR_MX).messages();
    }
}
