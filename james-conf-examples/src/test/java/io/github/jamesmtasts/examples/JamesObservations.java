package io.github.jamesmtasts.examples;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounded waits on what a running James shows from outside: its mail queue sizes (WebAdmin
 * {@code GET /mailQueues/<name>}, never browsing the queue: design.md section 3) and how often a text appears in its
 * log. James is another process, so there is nothing to wait on in this JVM: these poll every 250 ms until the
 * condition holds or the deadline passes, and then fail with what they saw.
 */
final class JamesObservations {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Pattern SIZE = Pattern.compile("\"size\"\\s*:\\s*(\\d+)");

    private JamesObservations() {
    }

    /** The number of mails in James's queue {@code queue} (e.g. "outgoing"), delayed ones included. */
    static int queueSize(JamesServerProcess james, String queue) {
        HttpResponse<String> response = james.webAdmin("GET", "/mailQueues/" + queue, null);
        Matcher size = SIZE.matcher(response.body());
        if (response.statusCode() != 200 || !size.find()) {
            throw new AssertionError("GET /mailQueues/" + queue + " answered " + response.statusCode() + " " + response.body());
        }
        return Integer.parseInt(size.group(1));
    }

    /** Waits until the queue holds at least {@code min} mails; returns the size seen. */
    static int awaitQueueSizeAtLeast(JamesServerProcess james, String queue, int min, Duration max) {
        return awaitAtLeast(() -> queueSize(james, queue), min, max, "mails in queue " + queue, james);
    }

    /** Waits until James's log contains {@code text} at least {@code count} times; returns the count seen. */
    static int awaitLogOccurrences(JamesServerProcess james, String text, int count, Duration max) {
        return awaitAtLeast(() -> occurrences(james.log(), text), count, max, "log lines with \"" + text + "\"", james);
    }

    /** Waits until WebAdmin's answer to {@code GET path} contains {@code text} (e.g. today's TLS-RPT counters). */
    static void awaitWebAdminAnswerContaining(JamesServerProcess james, String path, String text, Duration max) {
        awaitAtLeast(() -> occurrences(james.webAdmin("GET", path, null).body(), text), 1, max,
                "GET " + path + " answers containing " + text, james);
    }

    static int occurrences(String haystack, String needle) {
        int count = 0;
        for (int from = haystack.indexOf(needle); from >= 0; from = haystack.indexOf(needle, from + needle.length())) {
            count++;
        }
        return count;
    }

    /** Waits until {@code value} is at least {@code min}; returns the value seen. */
    static int awaitAtLeast(IntSupplier value, int min, Duration max, String what, JamesServerProcess james) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            int seen = value.getAsInt();
            if (seen >= min) {
                return seen;
            }
            if (System.nanoTime() > deadline || !james.isAlive()) {
                throw new AssertionError("expected at least " + min + " " + what + " within " + max + ", saw " + seen
                        + (james.isAlive() ? "" : " (James exited)") + "\n" + james.logTail(60));
            }
            try {
                Thread.sleep(POLL.toMillis()); // polling another process
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
