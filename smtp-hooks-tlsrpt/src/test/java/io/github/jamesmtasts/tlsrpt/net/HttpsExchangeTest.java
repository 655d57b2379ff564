package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TricklingHttpsPeer;

/** One bounded HTTP/1.1 exchange over TLS, against a loopback peer that answers scripted bytes. */
class HttpsExchangeTest {

    private static final TestPki PKI = TestPki.create("HttpsExchangeTest CA");
    private static final String HOST = "collector.report.test";
    private static final SSLContext SERVER = PKI.issue(HOST).serverContext();
    private static final SSLContext CLIENT = TrustAnchors.of(PKI.trustStore()).clientContext();
    private static final GuardedConnector LOOPBACK = GuardedConnector.of(AddressGuard.allowing(List.of(Cidr.parse("127.0.0.0/8"))));

    static Stream<Arguments> answers() {
        return Stream.of(
            arguments("status and headers", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi",
                200, "text/plain", "hi"),
            arguments("header names are case-insensitive", "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 0\r\n\r\n",
                200, "text/plain", ""),
            arguments("interim 1xx responses skipped", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n",
                202, "", ""),
            arguments("HTTP/1.0 answer, body until close", "HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\nnope",
                404, "text/html", "nope"),
            arguments("bare LF line ends", "HTTP/1.1 301 Moved\nLocation: https://x.test/\nContent-Length: 0\n\n", 301, "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void exchangeShouldReadStatusHeadersAndBody(String rule, String answer, int status, String contentType, String body)
        throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer(answer);
             HttpsExchange exchange = HttpsExchange.open(LOOPBACK, CLIENT, HOST, peer.port(), Duration.ofSeconds(20))) {
            HttpsExchange.Head head = exchange.send("POST", "/v1/tlsrpt?x=1", Map.of("Content-Type", "application/tlsrpt+gzip"),
                "report".getBytes(StandardCharsets.US_ASCII));

            assertThat(head.status()).isEqualTo(status);
            assertThat(head.headers().firstValue("Content-Type").orElse("")).isEqualTo(contentType);
            assertThat(exchange.readBody(100)).asString(StandardCharsets.ISO_8859_1).isEqualTo(body);
            assertThat(peer.request()).startsWith("POST /v1/tlsrpt?x=1 HTTP/1.1\r\nHost: " + HOST + ":" + peer.port() + "\r\n")
                .contains("Connection: close\r\n", "Content-Type: application/tlsrpt+gzip\r\n", "Content-Length: 6\r\n")
                .endsWith("\r\n\r\nreport");
        }
    }

    static Stream<Arguments> badAnswers() {
        return Stream.of(
            arguments("not HTTP", "SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line"),
            arguments("status not three digits", "HTTP/1.1 2000 OK\r\n\r\n", "not an HTTP/1.x status line"),
            arguments("H2 obsolete line folding", "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", "malformed header field line"),
            arguments("header line without colon", "HTTP/1.1 200 OK\r\nnonsense\r\n\r\n", "malformed header field line"),
            arguments("H2 too many header fields", "HTTP/1.1 200 OK\r\n" + "A: b\r\n".repeat(101) + "\r\n", "more than 100 header fields"),
            arguments("H2 head over 32 KiB", "HTTP/1.1 200 OK\r\nA: " + "b".repeat(40_000) + "\r\n\r\n", "response head larger than"),
            arguments("H2 endless interim responses", "HTTP/1.1 100 Continue\r\n\r\n".repeat(7), "interim 1xx responses"),
            arguments("connection ends in the head", "HTTP/1.1 200 OK\r\n", "ended before the response head"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAnswers")
    void exchangeShouldRefuseMalformedOrUnboundedHeads(String rule, String answer, String message) throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer(answer);
             HttpsExchange exchange = HttpsExchange.open(LOOPBACK, CLIENT, HOST, peer.port(), Duration.ofSeconds(20))) {

            assertThatThrownBy(() -> exchange.send("GET", "/", Map.of(), new byte[0]))
                .isInstanceOf(IOException.class).hasMessageContaining(message);
        }
    }

    @Test
    void exchangeShouldEndAtTheDeadlineWhenThePeerTricklesItsHeaders() {
        // H5: the peer never finishes; the generous bound only turns a hang into a failure.
        try (TricklingHttpsPeer peer = TricklingHttpsPeer.start(HOST, SERVER, TricklingHttpsPeer.Mode.HEADERS,
            Duration.ofMillis(100))) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (HttpsExchange exchange = HttpsExchange.open(LOOPBACK, CLIENT, HOST, peer.port(), Duration.ofSeconds(1))) {
                    assertThatThrownBy(() -> exchange.send("GET", "/", Map.of(), new byte[0]))
                        .isInstanceOf(HttpsExchange.DeadlineExceededException.class)
                        .hasMessageContaining("did not complete within PT1S");
                }
            });
        }
    }

    @Test
    void exchangeShouldEndAtTheDeadlineWhenThePeerTricklesItsBody() {
        try (TricklingHttpsPeer peer = TricklingHttpsPeer.start(HOST, SERVER, TricklingHttpsPeer.Mode.BODY,
            Duration.ofMillis(100))) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (HttpsExchange exchange = HttpsExchange.open(LOOPBACK, CLIENT, HOST, peer.port(), Duration.ofSeconds(1))) {
                    assertThat(exchange.send("GET", "/", Map.of(), new byte[0]).status()).isEqualTo(200);
                    // The peer announces 100,000,000 bytes: within this cap, so only the deadline can stop it.
                    assertThatThrownBy(() -> exchange.readBody(100_000_000))
                        .isInstanceOf(HttpsExchange.DeadlineExceededException.class);
                }
            });
        }
    }

    @Test
    void openShouldRefuseACertificateForAnotherHost() throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer("HTTP/1.1 200 OK\r\n\r\n")) {
            GuardedConnector toPeer = new GuardedConnector(AddressGuard.allowing(List.of(Cidr.parse("127.0.0.0/8"))),
                host -> new InetAddress[] {InetAddress.getByName(HOST)});
            assertThatThrownBy(() -> HttpsExchange.open(toPeer, CLIENT, "other.report.test", peer.port(),
                Duration.ofSeconds(20))).isInstanceOf(IOException.class)
                .hasRootCauseInstanceOf(io.github.jamesmtasts.tlsrpt.classify.CertificateHostMismatchException.class);
        }
    }

    /** Accepts one TLS connection on the collector's address, reads the request head (and a 6-byte body if announced), answers. */
    private static final class ScriptedPeer implements AutoCloseable {
        private final SSLServerSocket listener;
        private final CompletableFuture<String> request = new CompletableFuture<>();

        ScriptedPeer(String answer) throws IOException {
            listener = (SSLServerSocket) SERVER.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName(HOST));
            Thread thread = new Thread(() -> serve(answer), "HttpsExchangeTest peer");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        String request() throws Exception {
            return request.get(20, TimeUnit.SECONDS);
        }

        private void serve(String answer) {
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.setSoTimeout(20_000);
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                while (!seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    seen.write(in.read());
                }
                if (seen.toString(StandardCharsets.ISO_8859_1).contains("Content-Length: 6")) {
                    seen.write(in.readNBytes(6));
                }
                request.complete(seen.toString(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                request.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
