package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.examples.demo.Sandbox;
import io.github.jamesmtasts.mtasts.engine.EngineSettings;

/**
 * Issue 10 item 5: exact TLS-RPT counts across a crash. A real James 3.8.1 delivers {@value #MAILS} mails to a domain
 * without MTA-STS policy (one recorded session per mail), is killed with SIGKILL as soon as the test MX has the last
 * one, and starts again on the same embedded database: the day's counters must hold exactly {@value #MAILS}
 * successful sessions, and as many sessions in all as the MX accepted connections (the test MX refuses more than 16
 * at a time with 421, a failed session James retries). Before group commit the last second of records was still in
 * memory (389 of 400 counted; 92 of 100 here).
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class CrashSafeCountsEndToEndTest {
    private static final int MAILS = 100;
    private static final Duration DELIVERY = Duration.ofMinutes(2);
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Pattern PLAIN_COUNTERS = Pattern.compile("\"policyDomain\":\"" + Pattern.quote(Sandbox.PLAIN)
        + "\",\"successfulSessions\":(\\d+),\"failedSessions\":(\\d+)");

    @Test
    void countersShouldEqualTheDeliveredSessionsAfterASigkillRightAfterTheLastDelivery() throws Exception {
        EndToEnd.avoidUtcMidnight(Duration.ofMinutes(5));
        // Outside both working directories (each run starts in a fresh one): the database the restart reopens.
        Path storeFolder = EndToEnd.runDirectory("crash-store");
        Folders.deleteRecursively(storeFolder);
        Path store = storeFolder.resolve("mtasts");
        try (Sandbox sandbox = Sandbox.start("127.0.83.")) {
            JamesServerProcess first = james(sandbox, "crash-1", store).start();
            try {
                for (int i = 0; i < MAILS; i++) {
                    EndToEnd.submit(first, "alice@localhost", "dave" + i + "@" + Sandbox.PLAIN, "mail " + i, "Hello " + i);
                }
                sandbox.mx(Sandbox.PLAIN_MX).awaitMessages(MAILS, DELIVERY);
                assertThat(first.kill()).as("exit code of James after destroyForcibly (SIGKILL)").isEqualTo(SIGKILL_EXIT);
            } finally {
                first.close();
            }

            JamesServerProcess second = james(sandbox, "crash-2", store).start();
            try {
                HttpResponse<String> today = second.webAdmin("GET", "/tlsrpt/days/today", null);
                assertThat(today.statusCode()).as(today.body()).isEqualTo(200);
                Matcher counters = PLAIN_COUNTERS.matcher(today.body());
                assertThat(counters.find()).as("counters of %s in %s", Sandbox.PLAIN, today.body()).isTrue();
                assertThat(Long.parseLong(counters.group(1))).as("successful sessions counted after the restart")
                    .isEqualTo(MAILS);
                assertThat(Long.parseLong(counters.group(1)) + Long.parseLong(counters.group(2)))
                    .as("sessions counted (successful and failed, e.g. 421 at the greeting) against connections the MX "
                        + "accepted").isEqualTo(sandbox.mx(Sandbox.PLAIN_MX).sessionCount());
                assertThat(sandbox.mx(Sandbox.PLAIN_MX).messages()).as("mails delivered").hasSize(MAILS);
            } finally {
                second.close();
            }
        }
    }

    private static JamesLauncher james(Sandbox sandbox, String run, Path store) {
        return sandbox.configure(JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(EndToEnd.runDirectory(run))
                .smtp(sandbox.jamesIp(), 0)
                .webAdmin(sandbox.jamesIp(), 0), EndToEnd.dropIn(), EndToEnd.runDirectory(run + "-files"))
            .confProperty("mta-sts.properties", EngineSettings.STORE_EMBEDDED_PATH, store.toString());
    }
}
