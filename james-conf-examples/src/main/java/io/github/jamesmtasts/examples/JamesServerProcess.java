package io.github.jamesmtasts.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real James 3.8.1 memory app running as a separate process, started by {@link JamesLauncher}: its SMTP and
 * WebAdmin addresses, its log, and a clean stop (SIGTERM, then kill after 30 s).
 */
public final class JamesServerProcess implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(250);

    private final Process process;
    private final Path workingDirectory;
    private final Path logFile;
    private final InetSocketAddress smtp;
    private final InetSocketAddress webAdmin;
    // Stops James when the JVM that started it exits (test run over, Ctrl-C), so no James outlives it.
    private final Thread stopOnExit = new Thread(this::stopProcess, "stop-james");
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    JamesServerProcess(Process process, Path workingDirectory, Path logFile, InetSocketAddress smtp, InetSocketAddress webAdmin) {
        this.process = process;
        this.workingDirectory = workingDirectory;
        this.logFile = logFile;
        this.smtp = smtp;
        this.webAdmin = webAdmin;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts describing a James run from the assembled distribution ({@code target/james}) and drop-in
     * ({@code target/dropin}: extensions-jars/ and the example conf/).
     */
    public static JamesLauncher builder(JamesDistribution distribution, Path dropInDirectory) {
        return new JamesLauncher(distribution, dropInDirectory);
    }

    public InetSocketAddress smtpAddress() {
        return smtp;
    }

    public InetSocketAddress webAdminAddress() {
        return webAdmin;
    }

    public URI webAdminUri(String path) {
        return URI.create("http://" + webAdmin.getHostString() + ":" + webAdmin.getPort() + path);
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public Path logFile() {
        return logFile;
    }

    /** The operating-system process id of the James JVM (e.g. to read its CPU time from /proc). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The whole James log (stdout and stderr) so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile, e);
        }
    }

    public String logTail(int lines) {
        List<String> all = log().lines().collect(java.util.stream.Collectors.toList());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Waits until the log contains {@code text}; fails with the log tail otherwise. */
    public void awaitLog(String text, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("James log has no \"" + text + "\" after " + max + (process.isAlive() ? "" : " (James exited)")
                        + "\n" + logTail(80));
            }
            pause();
        }
    }

    /** Sends a WebAdmin request and returns the response (status and body). */
    public HttpResponse<String> webAdmin(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(webAdminUri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("WebAdmin " + method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Polls until SMTP greets with 220 and WebAdmin answers GET /healthcheck with 200. */
    void awaitReady(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        String lastProblem = "not polled yet";
        while (true) {
            if (!process.isAlive()) {
                throw new JamesStartupException("James exited with code " + process.exitValue() + " before it was ready"
                        + firstError() + " (log: " + logFile + ")", logTail(120));
            }
            lastProblem = smtpProblem();
            if (lastProblem.isEmpty()) {
                lastProblem = healthProblem();
                if (lastProblem.isEmpty()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new JamesStartupException("James was not ready within " + max + ": " + lastProblem
                        + " (log: " + logFile + ")", logTail(120));
            }
            pause();
        }
    }

    /** James's first logged error and the line after it (usually the exception), e.g. a ClassNotFoundException. */
    private String firstError() {
        List<String> lines = log().lines().collect(java.util.stream.Collectors.toList());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("[ERROR]")) {
                return ": " + lines.get(i) + (i + 1 < lines.size() ? " / " + lines.get(i + 1) : "");
            }
        }
        return "";
    }

    /** Waits until James exits (e.g. stopped by a signal) and returns its exit code. */
    public int waitForExit() throws InterruptedException {
        return process.waitFor();
    }

    private String smtpProblem() {
        try (Socket socket = new Socket()) {
            socket.connect(smtp, 1000);
            socket.setSoTimeout(5000);
            String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return greeting != null && greeting.startsWith("220") ? "" : "SMTP " + smtp + " greeted with " + greeting;
        } catch (IOException e) {
            return "SMTP " + smtp + " does not answer: " + e;
        }
    }

    private String healthProblem() {
        try {
            HttpResponse<String> response = webAdmin("GET", "/healthcheck", null);
            return response.statusCode() == 200 ? "" : "GET /healthcheck answered " + response.statusCode() + " " + response.body();
        } catch (UncheckedIOException e) {
            return "WebAdmin " + webAdmin + " does not answer: " + e.getCause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis()); // polling another process: there is nothing to wait on in this JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for James", e);
        }
    }

    /**
     * Kills James as a crash would: {@link Process#destroyForcibly()} is SIGKILL on Linux, so no shutdown hook, no
     * {@code @PreDestroy} and no last flush run. Returns the exit code (137 = 128 + SIGKILL).
     */
    public int kill() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook itself is stopping James
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("James (pid " + process.pid() + ") still runs 30 s after SIGKILL");
        }
        return process.exitValue();
    }

    /** Stops James: SIGTERM (James runs its shutdown hooks), then a kill after 30 seconds. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook itself is stopping James
        }
        stopProcess();
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "James{smtp=" + smtp + ", webadmin=" + webAdmin + ", dir=" + workingDirectory + "}";
    }
}
