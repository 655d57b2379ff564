package io.github.jamesmtasts.tlsrpt.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The framing of an HTTP/1.1 response read by {@link HttpsExchange} (RFC 9112 6-7): the head up to the empty line, then
 * a body delimited by chunked transfer coding, {@code Content-Length} or the end of the connection. Every length is
 * bounded before bytes are stored: a body over the cap fails as soon as the cap is known to be exceeded (RFC 8461 3.3:
 * reject, never truncate).
 */
final class HttpBodyReader {

    /** A chunk-size line or trailer line longer than this is not HTTP. */
    private static final int MAX_LINE = 1024;
    private static final int MAX_TRAILER_BYTES = 8 * 1024;

    private HttpBodyReader() {
    }

    /** The head's bytes, without the empty line that ends it. */
    static byte[] readHeadBytes(InputStream in, int max) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lineLength = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended before the response head was complete");
            }
            if (b == '\n') {
                if (lineLength == 0) {
                    return stripTrailingNewline(head.toByteArray());
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
            head.write(b);
            if (head.size() > max) {
                throw new IOException("response head larger than " + max + " bytes");
            }
        }
    }

    private static byte[] stripTrailingNewline(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        byte[] trimmed = new byte[end];
        System.arraycopy(bytes, 0, trimmed, 0, end);
        return trimmed;
    }

    static byte[] read(InputStream in, int status, HttpHeaders headers, long cap) throws IOException {
        if (status == 204 || status == 304 || status < 200) {
            return new byte[0];
        }
        List<String> codings = headers.allValues("transfer-encoding");
        if (!codings.isEmpty()) {
            String last = codings.get(codings.size() - 1).toLowerCase(Locale.ROOT);
            if (!last.trim().endsWith("chunked")) {
                // RFC 9112 6.3: without chunked last, the body runs to the end of the connection.
                return untilClose(in, cap);
            }
            return chunked(in, cap);
        }
        List<String> lengths = headers.allValues("content-length");
        if (!lengths.isEmpty()) {
            return exactly(in, contentLength(lengths), cap);
        }
        return untilClose(in, cap);
    }

    private static long contentLength(List<String> values) throws IOException {
        long length = -1;
        for (String value : values) {
            String v = value.trim();
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
                throw new IOException("invalid Content-Length");
            }
            long parsed = Long.parseLong(v);
            if (length >= 0 && parsed != length) {
                throw new IOException("conflicting Content-Length values");
            }
            length = parsed;
        }
        return length;
    }

    private static byte[] exactly(InputStream in, long length, long cap) throws IOException {
        if (length > cap) {
            throw new HttpsExchange.BodyTooLargeException(cap);
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new IOException("the body ended after " + body.length + " of " + length + " bytes");
        }
        return body;
    }

    private static byte[] untilClose(InputStream in, long cap) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
        if (body.length > cap) {
            throw new HttpsExchange.BodyTooLargeException(cap);
        }
        return body;
    }

    private static byte[] chunked(InputStream in, long cap) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = line(in);
            int semicolon = line.indexOf(';');
            String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            if (size.isEmpty() || size.length() > 15 || !size.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IOException("invalid chunk size");
            }
            long chunk = Long.parseLong(size, 16);
            if (chunk == 0) {
                skipTrailers(in);
                return body.toByteArray();
            }
            if (body.size() + chunk > cap) {
                throw new HttpsExchange.BodyTooLargeException(cap);
            }
            byte[] data = in.readNBytes((int) chunk);
            if (data.length < chunk) {
                throw new IOException("the connection ended inside a chunk");
            }
            body.write(data);
            if (!line(in).isEmpty()) {
                throw new IOException("a chunk is not followed by CRLF");
            }
        }
    }

    private static void skipTrailers(InputStream in) throws IOException {
        int read = 0;
        String line;
        do {
            line = line(in);
            read += line.length() + 2;
            if (read > MAX_TRAILER_BYTES) {
                throw new IOException("trailer section larger than " + MAX_TRAILER_BYTES + " bytes");
            }
        } while (!line.isEmpty());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended inside the chunked body");
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw new IOException("a chunk line is longer than " + MAX_LINE + " bytes");
            }
        }
    }
}
