package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** HTTP/1.1 response framing (RFC 9112 6-7) as {@link HttpsExchange} reads it, every length bounded (H2). */
class HttpBodyReaderTest {

    private static final long CAP = 10;

    static Stream<Arguments> bodies() {
        return Stream.of(
            arguments("Content-Length", 200, headers("Content-Length", "5"), "hello", "hello"),
            arguments("Content-Length exactly the cap", 200, headers("Content-Length", "10"), "0123456789", "0123456789"),
            arguments("Content-Length stops before what follows", 200, headers("Content-Length", "2"), "hello", "he"),
            arguments("chunked", 200, headers("Transfer-Encoding", "chunked"), "3\r\nhel\r\n2;ext=1\r\nlo\r\n0\r\n\r\n",
                "hello"),
            arguments("chunked with trailers", 200, headers("Transfer-Encoding", "chunked"),
                "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n", "hello"),
            arguments("chunked wins over Content-Length", 200,
                headers("Transfer-Encoding", "chunked", "Content-Length", "99"), "2\r\nhi\r\n0\r\n\r\n", "hi"),
            arguments("until the connection ends", 200, headers(), "hello", "hello"),
            arguments("204 has no body", 204, headers("Content-Length", "5"), "hello", ""),
            arguments("304 has no body", 304, headers(), "hello", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void readShouldFollowTheFraming(String rule, int status, HttpHeaders headers, String wire, String body) throws IOException {
        assertThat(HttpBodyReader.read(in(wire), status, headers, CAP)).asString(StandardCharsets.ISO_8859_1).isEqualTo(body);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
            arguments("F 3.3 Content-Length over the cap refused before reading", headers("Content-Length", "11"), "",
                "body larger than 10 bytes"),
            arguments("F 3.3 chunks over the cap refused", headers("Transfer-Encoding", "chunked"),
                "8\r\n01234567\r\n8\r\n01234567\r\n0\r\n\r\n", "body larger than 10 bytes"),
            arguments("F 3.3 one huge chunk refused before reading", headers("Transfer-Encoding", "chunked"),
                "fffffffffffffff\r\n", "body larger than 10 bytes"),
            arguments("F 3.3 unframed body over the cap refused", headers(), "01234567890", "body larger than 10 bytes"),
            arguments("short Content-Length body", headers("Content-Length", "5"), "hel", "ended after 3 of 5 bytes"),
            arguments("negative Content-Length", headers("Content-Length", "-1"), "", "invalid Content-Length"),
            arguments("conflicting Content-Length", headers("Content-Length", "1", "content-length", "2"), "ab",
                "conflicting Content-Length"),
            arguments("H2 chunk size too long", headers("Transfer-Encoding", "chunked"), "1".repeat(16) + "\r\n",
                "invalid chunk size"),
            arguments("H2 chunk line without end", headers("Transfer-Encoding", "chunked"), "1".repeat(2000),
                "longer than 1024"),
            arguments("chunk without CRLF", headers("Transfer-Encoding", "chunked"), "2\r\nhiX\r\n", "not followed by CRLF"),
            arguments("connection ends inside a chunk", headers("Transfer-Encoding", "chunked"), "5\r\nhe",
                "ended inside a chunk"),
            arguments("H2 endless trailers", headers("Transfer-Encoding", "chunked"),
                "0\r\n" + "X: y\r\n".repeat(2000), "trailer section larger"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void readShouldRefuseBadOrOversizedBodies(String rule, HttpHeaders headers, String wire, String message) {
        assertThatThrownBy(() -> HttpBodyReader.read(in(wire), 200, headers, CAP))
            .isInstanceOf(IOException.class).hasMessageContaining(message);
    }

    @Test
    void oversizedBodiesShouldBeTyped() {
        assertThatThrownBy(() -> HttpBodyReader.read(in(""), 200, headers("Content-Length", "11"), CAP))
            .isInstanceOf(HttpsExchange.BodyTooLargeException.class);
    }

    @Test
    void readHeadBytesShouldStopAtTheEmptyLineAndBoundTheHead() throws IOException {
        ByteArrayInputStream wire = in("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody");

        assertThat(HttpBodyReader.readHeadBytes(wire, 100)).asString(StandardCharsets.ISO_8859_1)
            .isEqualTo("HTTP/1.1 200 OK\r\nA: b");
        assertThat(wire.readAllBytes()).asString(StandardCharsets.ISO_8859_1).isEqualTo("body");
        assertThat(HttpBodyReader.readHeadBytes(in("HTTP/1.1 200 OK\nA: b\n\n"), 100))
            .asString(StandardCharsets.ISO_8859_1).isEqualTo("HTTP/1.1 200 OK\nA: b");
        assertThatThrownBy(() -> HttpBodyReader.readHeadBytes(in("HTTP/1.1 200 OK\r\n" + "A: b\r\n".repeat(100)), 100))
            .hasMessageContaining("response head larger than 100 bytes");
        assertThatThrownBy(() -> HttpBodyReader.readHeadBytes(in("HTTP/1.1 200 OK\r\n"), 100))
            .hasMessageContaining("ended before the response head was complete");
    }

    private static ByteArrayInputStream in(String wire) {
        return new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }
}
