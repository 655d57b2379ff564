package io.github.jamesmtasts.tlsrpt.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSocket;

/** The server side of one SMTP connection of a {@link TestSmtpServer} (RFC 5321 subset + RFC 3207 STARTTLS). */
final class SmtpConversation {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private final int number;
    private final SmtpServerSettings settings;
    private final TestSmtpServer server;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private Optional<String> ehloName = Optional.empty();
    private boolean startTlsRequested;
    private Optional<String> tlsProtocol = Optional.empty();
    private Optional<String> sni = Optional.empty();
    private Optional<String> handshakeFailure = Optional.empty();
    private int plaintextMail;
    private int tlsMail;
    private int messages;

    private boolean greeted;
    private Optional<String> from = Optional.empty();
    private final List<String> recipients = new ArrayList<>();

    SmtpConversation(int number, Socket socket, SmtpServerSettings settings, TestSmtpServer server) throws IOException {
        this.number = number;
        this.settings = settings;
        this.server = server;
        useSocket(socket);
    }

    /** Runs the conversation to its end and returns what happened; never throws for client misbehaviour. */
    SmtpSessionRecord run() {
        try {
            if (scripted(SmtpScript.Step.GREETING, "220 " + settings.greetingName() + " ESMTP test server")) {
                String line;
                while ((line = readLine()) != null) {
                    if (!handle(line)) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // The client went away or timed out: the session ends, what was seen so far is recorded.
        }
        return record();
    }

    private SmtpSessionRecord record() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a dead socket
        }
        return new SmtpSessionRecord(number, ehloName, startTlsRequested, tlsProtocol, sni, handshakeFailure,
                plaintextMail, tlsMail, messages);
    }

    /**
     * Answers {@code normalReply}, or what the script says for {@code step} when TLS is not up yet.
     *
     * @return false when the connection was dropped, true when the conversation goes on
     */
    private boolean scripted(SmtpScript.Step step, String normalReply) throws IOException {
        boolean afterTlsStep = step == SmtpScript.Step.EHLO_AFTER_TLS;
        Optional<Optional<String>> action = tlsProtocol.isPresent() != afterTlsStep ? Optional.empty()
                : settings.script().at(step);
        if (action.isEmpty()) {
            reply(normalReply);
            return true;
        }
        if (action.get().isEmpty()) {
            socket.close();
            return false;
        }
        String scriptedReply = action.get().get();
        if (scriptedReply == SmtpScript.ENDLESS_LINE || scriptedReply == SmtpScript.ENDLESS_CONTINUATION) {
            endless(step == SmtpScript.Step.EHLO || afterTlsStep ? "250" : "220", scriptedReply == SmtpScript.ENDLESS_CONTINUATION);
            return true;
        }
        reply(scriptedReply);
        return true;
    }

    /** Writes a hostile reply of {@link SmtpScript#ENDLESS_CAP} bytes; an IOException means the client gave up. */
    private void endless(String code, boolean continuation) throws IOException {
        byte[] chunk = new byte[1000];
        Arrays.fill(chunk, (byte) 'x');
        if (continuation) {
            chunk[0] = (byte) code.charAt(0);
            chunk[1] = (byte) code.charAt(1);
            chunk[2] = (byte) code.charAt(2);
            chunk[3] = '-';
            chunk[998] = '\r';
            chunk[999] = '\n';
        }
        OutputStream raw = out;
        if (!continuation) {
            raw.write((code + " ").getBytes(StandardCharsets.US_ASCII));
        }
        for (int written = 0; written < SmtpScript.ENDLESS_CAP; written += chunk.length) {
            raw.write(chunk);
        }
        raw.write(((continuation ? code + " end" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.flush();
    }

    private boolean handle(String line) throws IOException {
        String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
        String argument = line.length() > verb.length() ? line.substring(verb.length()).trim() : "";
        switch (verb) {
            case "EHLO":
                if (tlsProtocol.isPresent() && settings.script().scripts(SmtpScript.Step.EHLO_AFTER_TLS)) {
                    return scripted(SmtpScript.Step.EHLO_AFTER_TLS, "") && !socket.isClosed();
                }
                if (scriptedAtEhlo()) {
                    return !socket.isClosed();
                }
                resetTransaction();
                greeted = true;
                ehloName = Optional.of(argument);
                List<String> lines = new ArrayList<>();
                lines.add(settings.greetingName() + " greets " + argument);
                lines.add("8BITMIME");
                lines.add("SIZE " + MAX_MESSAGE);
                if ((settings.startTls().isPresent() || settings.script().scripts(SmtpScript.Step.STARTTLS))
                        && tlsProtocol.isEmpty()) {
                    lines.add("STARTTLS");
                }
                lines.add("HELP");
                for (int i = 0; i < lines.size(); i++) {
                    reply("250" + (i == lines.size() - 1 ? " " : "-") + lines.get(i));
                }
                return true;
            case "HELO":
                if (scriptedAtEhlo()) {
                    return !socket.isClosed();
                }
                resetTransaction();
                greeted = true;
                ehloName = Optional.of(argument);
                reply("250 " + settings.greetingName());
                return true;
            case "STARTTLS":
                return startTls();
            case "MAIL":
                return mail(argument);
            case "RCPT":
                return rcpt(argument);
            case "DATA":
                return data();
            case "RSET":
                resetTransaction();
                reply("250 2.0.0 OK");
                return true;
            case "NOOP":
                reply("250 2.0.0 OK");
                return true;
            case "QUIT":
                reply("221 2.0.0 Bye");
                return false;
            default:
                reply("500 5.5.2 Command not recognized");
                return true;
        }
    }

    /** A scripted EHLO / HELO: the scripted reply was sent (or the connection dropped) instead of the normal one. */
    private boolean scriptedAtEhlo() throws IOException {
        if (tlsProtocol.isPresent() || !settings.script().scripts(SmtpScript.Step.EHLO)) {
            return false;
        }
        scripted(SmtpScript.Step.EHLO, "");
        return true;
    }

    private boolean startTls() throws IOException {
        if (tlsProtocol.isEmpty() && settings.script().scripts(SmtpScript.Step.STARTTLS)) {
            startTlsRequested = true;
            return scripted(SmtpScript.Step.STARTTLS, "");
        }
        if (settings.startTls().isEmpty() || tlsProtocol.isPresent()) {
            reply("502 5.5.1 STARTTLS not available");
            return true;
        }
        startTlsRequested = true;
        reply("220 2.0.0 Ready to start TLS");
        SSLSocket tls = (SSLSocket) settings.startTls().get().getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        tls.setUseClientMode(false);
        settings.startTlsProtocols().ifPresent(tls::setEnabledProtocols);
        try {
            tls.startHandshake();
        } catch (IOException e) {
            handshakeFailure = Optional.of(e.toString());
            return false;
        }
        tlsProtocol = Optional.of(tls.getSession().getProtocol());
        sni = requestedServerName(tls);
        // RFC 3207 4.2: the client must discard knowledge from before TLS and start again with EHLO.
        greeted = false;
        ehloName = Optional.empty();
        resetTransaction();
        useSocket(tls);
        return true;
    }

    private static Optional<String> requestedServerName(SSLSocket tls) {
        if (!(tls.getSession() instanceof ExtendedSSLSession)) {
            return Optional.empty();
        }
        for (SNIServerName name : ((ExtendedSSLSession) tls.getSession()).getRequestedServerNames()) {
            if (name instanceof SNIHostName) {
                return Optional.of(((SNIHostName) name).getAsciiName());
            }
        }
        return Optional.empty();
    }

    private boolean mail(String argument) throws IOException {
        if (tlsProtocol.isPresent()) {
            tlsMail++;
        } else {
            plaintextMail++;
            server.plaintextMailSeen();
        }
        if (!greeted) {
            reply("503 5.5.1 EHLO first");
        } else if (from.isPresent()) {
            reply("503 5.5.1 Nested MAIL command");
        } else if (!argument.toUpperCase(Locale.ROOT).startsWith("FROM:")) {
            reply("501 5.5.4 Syntax: MAIL FROM:<address>");
        } else {
            from = Optional.of(path(argument.substring("FROM:".length())));
            reply("250 2.1.0 OK");
        }
        return true;
    }

    private boolean rcpt(String argument) throws IOException {
        if (from.isEmpty()) {
            reply("503 5.5.1 MAIL first");
        } else if (!argument.toUpperCase(Locale.ROOT).startsWith("TO:")) {
            reply("501 5.5.4 Syntax: RCPT TO:<address>");
        } else if (settings.recipientReply() == TestSmtpServer.RecipientReply.REJECT_550) {
            reply("550 5.1.1 Recipient rejected by test server");
        } else if (settings.recipientReply() == TestSmtpServer.RecipientReply.TEMPORARY_FAILURE_451) {
            reply("451 4.3.0 Temporary failure at test server");
        } else {
            recipients.add(path(argument.substring("TO:".length())));
            reply("250 2.1.5 OK");
        }
        return true;
    }

    private boolean data() throws IOException {
        if (recipients.isEmpty()) {
            reply("554 5.5.1 No valid recipients");
            return true;
        }
        reply("354 End data with <CR><LF>.<CR><LF>");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] line;
        while ((line = readRawLine()) != null) {
            String text = new String(line, StandardCharsets.ISO_8859_1);
            if (text.equals(".\r\n") || text.equals(".\n") || text.equals(".")) {
                ReceivedMessage message = new ReceivedMessage(number, from.orElse(""), recipients, content.toByteArray(), tlsProtocol);
                messages++;
                resetTransaction();
                reply("250 2.0.0 Message accepted");
                server.messageReceived(message);
                return true;
            }
            // RFC 5321 4.5.2: remove the transparency dot.
            int start = line.length > 0 && line[0] == '.' ? 1 : 0;
            content.write(line, start, line.length - start);
            if (content.size() > MAX_MESSAGE) {
                reply("552 5.3.4 Message too big");
                return false;
            }
        }
        return false;
    }

    private static String path(String raw) {
        String trimmed = raw.trim();
        int end = trimmed.indexOf('>');
        if (trimmed.startsWith("<") && end > 0) {
            return trimmed.substring(1, end);
        }
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    private void resetTransaction() {
        from = Optional.empty();
        recipients.clear();
    }

    private void useSocket(Socket newSocket) throws IOException {
        socket = newSocket;
        socket.setSoTimeout((int) settings.readTimeout().toMillis());
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private void reply(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private String readLine() throws IOException {
        byte[] raw = readRawLine();
        if (raw == null) {
            return null;
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** A line including its terminator, or null at end of stream. */
    private byte[] readRawLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
