package io.github.jamesmtasts.tlsrpt.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * Reads from a socket's stream waiting at most until the {@link Deadline} for each read (the socket's read timeout is
 * set to what is left before every read), so that a peer trickling a byte at a time cannot stretch the exchange;
 * reading after the deadline fails at once, without touching the socket.
 */
final class DeadlineInputStream extends InputStream {

    private final InputStream delegate;
    private final Socket socket;
    private final Deadline deadline;

    DeadlineInputStream(InputStream delegate, Socket socket, Deadline deadline) {
        this.delegate = delegate;
        this.socket = socket;
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int remaining = deadline.remainingMillis();
        if (remaining <= 0) {
            throw deadline.exceeded();
        }
        socket.setSoTimeout(remaining);
        return delegate.read(buffer, offset, length);
    }
}
