package io.github.jamesmtasts.tlsrpt.net;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request and its response over TLS to a host named by a remote domain (an MTA-STS policy host, a
 * TLS-RPT collector), on a connection from {@link GuardedConnector}, so the SSRF guard holds for the very address
 * used. {@code java.net.http.HttpClient} resolves names itself and cannot be pointed at a checked address, hence
 * this small client: TLS 1.2+ ({@link TlsProtocols}), SNI and the certificate check on the host name
 * ({@link DnsIdTrustManager} in the given context), {@code Connection: close}, no redirects followed, bounded head
 * ({@link #MAX_HEAD_BYTES}, {@link #MAX_HEADER_FIELDS}) and body (the caller's cap, {@link HttpBodyReader}).
 *
 * <p>Design H5: one deadline bounds the whole exchange (connect, handshake, request, head and body). Every read waits
 * at most until the deadline, and a timer closes the connection at the deadline, so that neither a peer that never
 * reads (blocked write) nor one that trickles can hold the caller. Failures after the deadline are
 * {@link DeadlineExceededException}. One instance per exchange; not thread-safe.
 */
public final class HttpsExchange implements AutoCloseable {

    /** The most bytes of status line and header fields read (interim 1xx responses each count on their own). */
    public static final int MAX_HEAD_BYTES = 32 * 1024;
    /** The most header fields accepted in one response head. */
    public static final int MAX_HEADER_FIELDS = 100;
    /** RFC 9110 5.1: field-name = token (RFC 9110 5.6.2 tchar). */
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final int MAX_INTERIM_RESPONSES = 5;

    /** The deadline of the exchange passed. */
    public static final class DeadlineExceededException extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        DeadlineExceededException(String message) {
            super(message);
        }
    }

    /** The body is larger than the cap the caller gave (RFC 8461 3.3: rejected, never truncated). */
    public static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long cap) {
            super("body larger than " + cap + " bytes");
        }
    }

    /** A response's status and header fields. */
    public static final class Head {
        private final int status;
        private final HttpHeaders headers;

        Head(int status, HttpHeaders headers) {
            this.status = status;
            this.headers = headers;
        }

        public int status() {
            return status;
        }

        public HttpHeaders headers() {
            return headers;
        }

        /** A status line and header fields (RFC 9112 4, 5) from bytes of the peer: only an {@code IOException} on bad input. */
        static Head parse(byte[] bytes) throws IOException {
            String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n");
            String[] status = lines[0].split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !status[1].matches("[0-9]{3}")) {
                throw new IOException("not an HTTP/1.x status line");
            }
            if (lines.length - 1 > MAX_HEADER_FIELDS) {
                throw new IOException("more than " + MAX_HEADER_FIELDS + " header fields");
            }
            Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0 || !FIELD_NAME.matcher(lines[i].substring(0, colon)).matches()) {
                    // RFC 9112 5.1, 5.2: a field name is a token right before the colon; obsolete line folding and
                    // anything that is not "name: value" are rejected (a name of NUL bytes once escaped as an
                    // IllegalArgumentException from HttpHeaders: HttpResponseFuzzTest).
                    throw new IOException("malformed header field line");
                }
                fields.computeIfAbsent(lines[i].substring(0, colon), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
            }
            return new Head(Integer.parseInt(status[1]), HttpHeaders.of(fields, (name, value) -> true));
        }
    }

    private final Socket plain;
    private final SSLSocket tls;
    private final String authority;
    private final Deadline deadline;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final InputStream in;
    private Head head;

    private HttpsExchange(Socket plain, SSLSocket tls, String authority, Deadline deadline) throws IOException {
        this.plain = plain;
        this.tls = tls;
        this.authority = authority;
        this.deadline = deadline;
        this.in = new BufferedInputStream(new DeadlineInputStream(tls.getInputStream(), tls, deadline));
    }

    /**
     * Connects through {@code connector} and completes the TLS handshake with {@code host}.
     *
     * @param context a client context from {@link DnsIdTrustManager#clientContext} (certificate named by {@code host})
     * @param timeout the deadline of the whole exchange, counted from now
     */
    public static HttpsExchange open(GuardedConnector connector, SSLContext context, String host, int port, Duration timeout)
        throws IOException {
        String authority = (host.contains(":") ? "[" + host + "]" : host) + (port == 443 ? "" : ":" + port);
        Deadline deadline = Deadline.after(timeout, "the exchange with " + authority);
        Socket plain = connector.connect(host, port, timeout);
        SSLSocket tls = null;
        try {
            tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = TlsProtocols.restrict(tls.getSSLParameters(), tls.getSupportedProtocols());
            sniHostName(host).ifPresent(name -> parameters.setServerNames(List.of(name)));
            // JSSE's RFC 2818 check as a second opinion after DnsIdTrustManager's stricter DNS-ID check.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            HttpsExchange exchange = new HttpsExchange(plain, tls, authority, deadline);
            exchange.armTimer();
            try {
                // 0 would mean "no timeout": never hand it over.
                tls.setSoTimeout(Math.max(1, deadline.remainingMillis()));
                tls.startHandshake();
            } catch (IOException e) {
                exchange.close();
                throw deadline.timedOutOr(e);
            }
            return exchange;
        } catch (IOException | RuntimeException e) {
            closeQuietly(plain);
            if (tls != null) {
                closeQuietly(tls);
            }
            throw e;
        }
    }

    private static Optional<SNIHostName> sniHostName(String host) {
        try {
            // RFC 8461 7 (I): SNI with the host name; IP literals carry none.
            return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))
                ? Optional.empty() : Optional.of(new SNIHostName(host));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void armTimer() {
        // The JDK's shared delay scheduler runs the close itself (Runnable::run): no pool of ours, no queueing behind
        // other tasks. Closing the plain socket needs no TLS record and never blocks.
        CompletableFuture.delayedExecutor(Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS, Runnable::run)
            .execute(() -> {
                if (finished.compareAndSet(false, true)) {
                    closeQuietly(plain);
                }
            });
    }

    /**
     * Sends the request ({@code Host}, {@code Connection: close} and {@code Content-Length} are added) and reads the
     * response head, skipping interim 1xx responses.
     */
    public Head send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
            .append("Host: ").append(authority).append("\r\n")
            .append("Connection: close\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (body.length > 0 || !"GET".equals(method)) {
            request.append("Content-Length: ").append(body.length).append("\r\n");
        }
        request.append("\r\n");
        try {
            OutputStream out = tls.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            for (int interim = 0; interim <= MAX_INTERIM_RESPONSES; interim++) {
                head = readHead();
                if (head.status() >= 200) {
                    return head;
                }
            }
            throw new IOException("more than " + MAX_INTERIM_RESPONSES + " interim 1xx responses");
        } catch (IOException e) {
            throw deadline.timedOutOr(e);
        }
    }

    /**
     * Reads the whole body of the response {@link #send} returned.
     *
     * @throws BodyTooLargeException as soon as the body is known or seen to exceed {@code cap} bytes
     */
    public byte[] readBody(long cap) throws IOException {
        Objects.requireNonNull(head, "send first");
        try {
            return HttpBodyReader.read(in, head.status(), head.headers(), cap);
        } catch (IOException e) {
            throw deadline.timedOutOr(e);
        }
    }

    private Head readHead() throws IOException {
        return Head.parse(HttpBodyReader.readHeadBytes(in, MAX_HEAD_BYTES));
    }

    /** Closes the connection; what was not read is abandoned. */
    @Override
    public void close() {
        finished.set(true);
        // The TCP connection first: a close_notify written to a peer that stopped reading could block.
        closeQuietly(plain);
        closeQuietly(tls);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with a connection being abandoned
        }
    }
}
