package io.github.jamesmtasts.mtasts.deliver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.mail.MessagingException;

import com.sun.mail.smtp.SMTPTransport;

/** A connected SMTP session opened by {@link SmtpConnector}. Close it when done. */
public final class SmtpSession implements AutoCloseable {

    private final SMTPTransport transport;
    private final Socket socket;
    private final Runnable onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();

    SmtpSession(SMTPTransport transport, Socket socket, Runnable onClosed) {
        this.transport = transport;
        this.socket = socket;
        this.onClosed = onClosed;
    }

    public SMTPTransport transport() {
        return transport;
    }

    /** RFC 8460 4.4 {@code sending-mta-ip}: our end of the connection. */
    public InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    /** Whether the session runs over TLS (STARTTLS done or implicit TLS). */
    public boolean isEncrypted() {
        return transport.isSSL() || socket instanceof javax.net.ssl.SSLSocket;
    }

    @Override
    public void close() throws MessagingException {
        try {
            transport.close();
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed by the transport, or the peer
            }
            // Once only: a second close must not hand the same javax.mail Session to the pool twice.
            if (closed.compareAndSet(false, true)) {
                onClosed.run();
            }
        }
    }
}
