package io.github.jamesmtasts.tlsrpt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link TestSmtpServer} with an {@link SmtpScript}, driven by a raw socket so that every reply is seen as sent. */
class ScriptedSmtpServerTest {
    private static final String MX_IP = "127.0.0.21";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void scriptedGreetingShouldBeSentInsteadOf220() throws IOException {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP)
                .script(SmtpScript.normal().reply(SmtpScript.Step.GREETING, "554 5.3.2 go away")).start();
             Client client = new Client(server)) {
            assertThat(client.line()).isEqualTo("554 5.3.2 go away");
            assertThat(client.command("QUIT")).containsExactly("221 2.0.0 Bye");
        }
    }

    @Test
    void droppedGreetingShouldCloseTheConnectionWithoutAnyByte() throws IOException {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP)
                .script(SmtpScript.normal().drop(SmtpScript.Step.GREETING)).start();
             Client client = new Client(server)) {
            assertThat(client.line()).isNull();
            assertThat(server.awaitSessions(1, WAIT)).hasSize(1);
        }
    }

    @Test
    void scriptedEhloShouldAnswerEhloAndHelo() throws IOException {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP)
                .script(SmtpScript.normal().reply(SmtpScript.Step.EHLO, "550 5.7.1 not you")).start();
             Client client = new Client(server)) {
            assertThat(client.line()).startsWith("220 ");
            assertThat(client.command("EHLO client.test")).containsExactly("550 5.7.1 not you");
            assertThat(client.command("HELO client.test")).containsExactly("550 5.7.1 not you");
        }
    }

    @Test
    void scriptedStartTlsShouldBeAdvertisedAndAnsweredWithTheScriptedReply() throws IOException {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP)
                .script(SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, "454 4.7.0 TLS not available")).start();
             Client client = new Client(server)) {
            client.line();
            assertThat(client.command("EHLO client.test")).contains("250-STARTTLS");
            assertThat(client.command("STARTTLS")).containsExactly("454 4.7.0 TLS not available");
            client.command("QUIT");
            assertThat(server.awaitSessions(1, WAIT).get(0).startTlsRequested()).isTrue();
        }
    }

    @Test
    void droppedStartTlsShouldCloseTheConnection() throws IOException {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP)
                .script(SmtpScript.normal().drop(SmtpScript.Step.STARTTLS)).start();
             Client client = new Client(server)) {
            client.line();
            client.command("EHLO client.test");
            assertThat(client.command("STARTTLS")).isEmpty();
        }
    }

    /** A line-oriented raw SMTP client. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client(TestSmtpServer server) throws IOException {
            socket = new Socket(server.address(), server.port());
            socket.setSoTimeout((int) WAIT.toMillis());
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        String line() throws IOException {
            return in.readLine();
        }

        /** Sends {@code command} and reads the whole reply (empty when the server closed the connection). */
        List<String> command(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<String> reply = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                reply.add(line);
                if (line.length() < 4 || line.charAt(3) != '-') {
                    break;
                }
            }
            return reply;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
