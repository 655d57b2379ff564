package io.github.jamesmtasts.tlsrpt.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

/**
 * A small SMTP server for tests: plain sockets, one thread per connection (bounded), optional STARTTLS with a
 * given server {@link SSLContext}, recording every accepted message and every finished session.
 *
 * <p>It binds one loopback address (127.0.0.x) and a port; port 25 on a distinct loopback address per MX host is
 * how end-to-end tests stand in for remote MX hosts (root is needed for port 25; CI runs as root), port 0 picks a
 * free port.
 *
 * <p>TLS protocol limits ({@link Builder#startTlsProtocols(String...)}) act on the server's SSLSocket, but the JDK's
 * {@code jdk.tls.disabledAlgorithms} (TLSv1 and TLSv1.1 by default since JDK 11.0.11/17) applies JVM-wide and cannot
 * be lifted per socket: a server limited to TLSv1.1 then fails every handshake ("No appropriate protocol"). To offer
 * TLSv1.1 for real, the test JVM must start with {@code -Djava.security.properties=<file>} overriding that property.
 *
 * <p>A {@link SmtpScript} makes it a hostile or broken MX: chosen replies, or a dropped connection, at the greeting,
 * EHLO or STARTTLS.
 *
 * <p>Waiting uses a monitor notified on every event ({@link #awaitMessages(int, Duration)}), never sleeps.
 */
public final class TestSmtpServer implements AutoCloseable {

    /** How every RCPT command is answered. */
    public enum RecipientReply { ACCEPT, REJECT_550, TEMPORARY_FAILURE_451 }

    private final SmtpServerSettings settings;
    private final ServerSocket serverSocket;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger plaintextMail = new AtomicInteger();
    private final List<ReceivedMessage> messages = new ArrayList<>();
    private final List<SmtpSessionRecord> sessions = new ArrayList<>();
    private volatile boolean closed;

    private TestSmtpServer(SmtpServerSettings settings, ServerSocket serverSocket) {
        this.settings = settings;
        this.serverSocket = serverSocket;
        this.slots = new Semaphore(settings.maxSessions());
        this.workers = Executors.newFixedThreadPool(settings.maxSessions(), runnable -> {
            Thread thread = new Thread(runnable, "test-smtp-" + address().getHostAddress() + ":" + port() + "-session");
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::acceptLoop, "test-smtp-" + address().getHostAddress() + ":" + port() + "-accept");
        this.acceptor.setDaemon(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetAddress address() {
        return serverSocket.getInetAddress();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Messages accepted so far, in arrival order. */
    public synchronized List<ReceivedMessage> messages() {
        return List.copyOf(messages);
    }

    /** Sessions that have ended so far, in the order they ended. */
    public synchronized List<SmtpSessionRecord> sessions() {
        return List.copyOf(sessions);
    }

    /** Connections accepted so far (including those still open and those refused with 421). */
    public int sessionCount() {
        return accepted.get();
    }

    /** MAIL commands received outside TLS, over all sessions (including open ones). */
    public int plaintextMailCommands() {
        return plaintextMail.get();
    }

    /** Waits until at least {@code count} messages arrived and returns all of them; fails with a description otherwise. */
    public synchronized List<ReceivedMessage> awaitMessages(int count, Duration max) {
        awaitCondition(() -> messages.size() >= count, max, count + " message(s)");
        return List.copyOf(messages);
    }

    /** Waits until at least {@code count} sessions have ended and returns all ended sessions. */
    public synchronized List<SmtpSessionRecord> awaitSessions(int count, Duration max) {
        awaitCondition(() -> sessions.size() >= count, max, count + " finished session(s)");
        return List.copyOf(sessions);
    }

    /**
     * Waits until at least {@code count} ended sessions carried a message and returns those: a message is seen before its
     * session ends (QUIT), so {@link #awaitMessages} alone does not make the session's record available.
     */
    public synchronized List<SmtpSessionRecord> awaitSessionsWithMessages(int count, Duration max) {
        awaitCondition(() -> sessions.stream().filter(s -> s.messages() > 0).count() >= count, max,
            count + " finished session(s) with a message");
        return sessions.stream().filter(s -> s.messages() > 0).collect(java.util.stream.Collectors.toUnmodifiableList());
    }

    private void awaitCondition(java.util.function.BooleanSupplier condition, Duration max, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            while (!condition.getAsBoolean()) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    throw new AssertionError("test SMTP server " + address().getHostAddress() + ":" + port() + " did not see "
                            + what + " within " + max + "; messages=" + messages + ", sessions=" + sessions
                            + ", accepted connections=" + accepted.get());
                }
                wait(remainingMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    synchronized void messageReceived(ReceivedMessage message) {
        messages.add(message);
        notifyAll();
    }

    private synchronized void sessionEnded(SmtpSessionRecord session) {
        sessions.add(session);
        notifyAll();
    }

    void plaintextMailSeen() {
        plaintextMail.incrementAndGet();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            int number = accepted.incrementAndGet();
            if (!slots.tryAcquire()) {
                refuse(socket);
                continue;
            }
            open.add(socket);
            workers.execute(() -> {
                try {
                    sessionEnded(new SmtpConversation(number, socket, settings, this).run());
                } catch (IOException e) {
                    sessionEnded(new SmtpSessionRecord(number, Optional.empty(), false, Optional.empty(), Optional.empty(),
                            Optional.of(e.toString()), 0, 0, 0));
                } finally {
                    open.remove(socket);
                    slots.release();
                }
            });
        }
    }

    private static void refuse(Socket socket) {
        try (Socket toClose = socket; OutputStream out = toClose.getOutputStream()) {
            out.write("421 4.3.2 Too many sessions at test server\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // the client left already
        }
    }

    /** Stops accepting, closes open sessions and waits for the session threads to end. */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        workers.shutdown();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TestSmtpServer{" + address().getHostAddress() + ":" + port() + ", greeting=" + settings.greetingName()
                + ", starttls=" + settings.startTls().isPresent() + ", script=" + settings.script() + "}";
    }

    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port;
        private String greetingName = "mx.test";
        private Optional<SSLContext> startTls = Optional.empty();
        private Optional<String[]> startTlsProtocols = Optional.empty();
        private RecipientReply recipientReply = RecipientReply.ACCEPT;
        private int maxSessions = 16;
        private Duration readTimeout = Duration.ofSeconds(60);
        private SmtpScript script = SmtpScript.normal();

        private Builder() {
        }

        /** A loopback address such as "127.0.0.5" (default 127.0.0.1); anything outside 127.0.0.0/8 is refused. */
        public Builder bindAddress(String loopbackAddress) {
            this.bindAddress = Objects.requireNonNull(loopbackAddress, "loopbackAddress");
            return this;
        }

        /** Port to bind; 0 (default) picks a free one, 25 needs root. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The name in the 220 greeting and the EHLO reply (default "mx.test"). */
        public Builder greetingName(String name) {
            this.greetingName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Offer STARTTLS, presenting the certificate of {@code serverContext}. Without this STARTTLS is not offered. */
        public Builder startTls(SSLContext serverContext) {
            this.startTls = Optional.of(serverContext);
            return this;
        }

        /** Offer STARTTLS with {@link TestPki.ServerCertificate#serverContext()}. */
        public Builder startTls(TestPki.ServerCertificate certificate) {
            return startTls(certificate.serverContext());
        }

        /** Limit the STARTTLS handshake to these protocols (e.g. "TLSv1.2"); see the class comment about TLSv1.1. */
        public Builder startTlsProtocols(String... protocols) {
            this.startTlsProtocols = Optional.of(protocols.clone());
            return this;
        }

        public Builder recipientReply(RecipientReply reply) {
            this.recipientReply = Objects.requireNonNull(reply, "reply");
            return this;
        }

        /** Answer every RCPT with "550 5.1.1" (permanent failure). */
        public Builder rejectEveryRecipient() {
            return recipientReply(RecipientReply.REJECT_550);
        }

        /** Answer every RCPT with "451 4.3.0" (temporary failure: the sender must retry later). */
        public Builder answerTemporaryFailure() {
            return recipientReply(RecipientReply.TEMPORARY_FAILURE_451);
        }

        /** Concurrent sessions served (default 16); more connections get "421" and are closed. */
        public Builder maxConcurrentSessions(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max must be >= 1");
            }
            this.maxSessions = max;
            return this;
        }

        /** Idle read timeout per session (default 60 s). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Answers chosen replies (or drops the connection) at chosen steps before TLS; see {@link SmtpScript}. */
        public Builder script(SmtpScript script) {
            this.script = Objects.requireNonNull(script, "script");
            return this;
        }

        /** Binds and starts accepting; close the server (try-with-resources) to stop it. */
        public TestSmtpServer start() {
            try {
                InetAddress address = InetAddress.getByName(bindAddress);
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException("test SMTP server must bind a loopback address, not " + bindAddress);
                }
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                try {
                    socket.bind(new InetSocketAddress(address, port), 50);
                } catch (SocketException e) {
                    socket.close();
                    throw new UncheckedIOException("cannot bind test SMTP server to " + bindAddress + ":" + port
                            + (port > 0 && port < 1024 ? " (ports below 1024 need root)" : ""), e);
                }
                TestSmtpServer server = new TestSmtpServer(new SmtpServerSettings(greetingName, startTls, startTlsProtocols, recipientReply, maxSessions, readTimeout, script), socket);
                server.acceptor.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start test SMTP server on " + bindAddress + ":" + port, e);
            }
        }
    }
}
