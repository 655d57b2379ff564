package io.github.jamesmtasts.mtasts.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.jamesmtasts.tlsrpt.model.NetworkText;

/**
 * The client side of the few SMTP commands the probe sends (RFC 5321 4.2 replies, RFC 3207 STARTTLS). Reads byte by
 * byte without buffering, so that nothing the server sends after the STARTTLS reply is swallowed before the TLS layer
 * takes over the socket.
 */
final class SmtpDialog {

    /** H2: RFC 5321 4.5.3.1.5 allows 512 octets per reply line; four times that for lenient servers, no more. */
    static final int MAX_LINE = 2048;
    /** H2: an EHLO reply names a few dozen extensions at most. */
    static final int MAX_LINES = 100;
    private static final int MAX_QUOTED = 83;

    private final InputStream in;
    private final OutputStream out;

    SmtpDialog(Socket socket) throws IOException {
        this(socket.getInputStream(), socket.getOutputStream());
    }

    SmtpDialog(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    Reply command(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    /** Says goodbye; the answer does not matter any more. */
    void quitQuietly() {
        try {
            command("QUIT");
        } catch (IOException e) {
            // the server went away first: nothing to do
        }
    }

    Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_LINES) {
            String line = readLine();
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new ProtocolException("not an SMTP reply: " + printable(line));
            }
            if (!lines.isEmpty() && !line.startsWith(lines.get(0).substring(0, 3))) {
                // RFC 5321 4.2.1: every line of a multiline reply carries the same code.
                throw new ProtocolException("SMTP reply changes its code within one reply: " + printable(line));
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
        throw new ProtocolException("SMTP reply longer than " + MAX_LINES + " lines");
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolException("SMTP reply line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static String printable(String text) {
        return NetworkText.clean(text, MAX_QUOTED);
    }

    /** One complete SMTP reply. */
    static final class Reply {
        private final int code;
        private final List<String> lines;

        Reply(int code, List<String> lines) {
            this.code = code;
            this.lines = List.copyOf(lines);
        }

        int code() {
            return code;
        }

        /** RFC 5321 4.1.1.1: an EHLO reply line after the first names one extension keyword, then parameters. */
        boolean offersExtension(String keyword) {
            for (int i = 1; i < lines.size(); i++) {
                String text = lines.get(i).length() > 4 ? lines.get(i).substring(4).trim() : "";
                String first = text.split("\\s+", 2)[0];
                if (first.toUpperCase(Locale.ROOT).equals(keyword)) {
                    return true;
                }
            }
            return false;
        }

        String firstLine() {
            return printable(lines.get(0));
        }
    }
}
