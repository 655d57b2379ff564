package io.github.jamesmtasts.mtasts.deliver;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.github.jamesmtasts.tlsrpt.classify.ReplyTooLongException;

/**
 * Bounds what an MX may send (H2): javax.mail reads a reply line and all continuation lines of a reply into memory
 * without limit, and every byte resets the socket read timeout. RFC 5321 4.5.3.1.5 allows 512 octets per reply line;
 * we allow slack. Counts in place while reading (no copy, no allocation).
 *
 * <p>Before TLS the bytes are SMTP text: per line, per reply (a reply ends with a line whose fourth octet is not
 * {@code '-'}, RFC 5321 4.2.1). Once TLS is layered over this stream ({@link #tlsStarts()}) the bytes are TLS
 * records, without line structure: from then on the whole inbound volume of the session is bounded.
 */
final class BoundedReplyInputStream extends FilterInputStream {

    /** Longest reply line, CRLF included (RFC 5321: 512). */
    static final int MAX_LINE_BYTES = 2_048;
    /** Longest reply, all its lines together. */
    static final int MAX_REPLY_BYTES = 64 * 1_024;
    /** Most lines in one reply (an EHLO reply has one per extension). */
    static final int MAX_REPLY_LINES = 100;
    /** Most bytes received after TLS starts: handshake, replies to every command of the session. */
    static final long MAX_BYTES_AFTER_TLS = 4L * 1_024 * 1_024;

    private volatile boolean tls;
    private long bytesAfterTls;
    private int lineBytes;
    private int replyBytes;
    private int replyLines;
    private boolean continuation;

    BoundedReplyInputStream(InputStream in) {
        super(in);
    }

    /** The next bytes are TLS records: count the volume only. */
    void tlsStarts() {
        tls = true;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            count(buffer[offset + i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes would escape the count; javax.mail never skips reply bytes.
        throw new IOException("skip is not supported on an SMTP reply stream");
    }

    private void count(byte b) throws ReplyTooLongException {
        if (tls) {
            if (++bytesAfterTls > MAX_BYTES_AFTER_TLS) {
                throw new ReplyTooLongException("MX sent more than " + MAX_BYTES_AFTER_TLS + " bytes after TLS started");
            }
            return;
        }
        lineBytes++;
        replyBytes++;
        if (lineBytes == 4) {
            continuation = b == '-';
        }
        if (lineBytes > MAX_LINE_BYTES) {
            throw new ReplyTooLongException("MX reply line longer than " + MAX_LINE_BYTES + " bytes");
        }
        if (replyBytes > MAX_REPLY_BYTES) {
            throw new ReplyTooLongException("MX reply longer than " + MAX_REPLY_BYTES + " bytes");
        }
        if (b == '\n') {
            replyLines++;
            if (!continuation) {
                replyBytes = 0;
                replyLines = 0;
            } else if (replyLines >= MAX_REPLY_LINES) {
                throw new ReplyTooLongException("MX reply longer than " + MAX_REPLY_LINES + " lines");
            }
            lineBytes = 0;
            continuation = false;
        }
    }
}
