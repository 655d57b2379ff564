package io.github.jamesmtasts.tlsrpt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

/** Drives {@link TestSmtpServer} with javax.mail 1.6.2, the SMTP client James uses. */
class TestSmtpServerTest {
    // test-hosts.txt maps this name to 127.0.0.21, so the client checks the certificate against a real DNS-ID and sends SNI.
    private static final String MX = "mx.smtp-server.test";
    private static final String MX_IP = "127.0.0.21";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestPki PKI = TestPki.create("TestSmtpServerTest CA");

    @Test
    void messageShouldArriveOverTlsWhenClientRequiresStartTls() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).greetingName(MX)
                .startTls(PKI.issue(MX)).start()) {
            send(server, clientRequiringTls(PKI.clientContext()), "Hello.\r\n.leading dot line\r\n");

            List<ReceivedMessage> messages = server.awaitMessages(1, WAIT);
            assertThat(messages).hasSize(1);
            ReceivedMessage message = messages.get(0);
            assertThat(message.envelopeFrom()).isEqualTo("sender@origin.test");
            assertThat(message.envelopeTo()).containsExactly("rcpt@destination.test");
            assertThat(message.receivedOverTls()).isTrue();
            assertThat(message.tlsProtocol()).contains("TLSv1.3");
            assertThat(message.dataAsString()).contains("Subject: test").contains("\r\n.leading dot line");
            SmtpSessionRecord session = server.awaitSessions(1, WAIT).get(0);
            assertThat(session.serverNameIndication()).contains(MX);
            assertThat(session.ehloName()).isPresent();
            assertThat(session.messages()).isEqualTo(1);
            assertThat(server.plaintextMailCommands()).isZero();
            assertThat(server.sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void startTlsProtocolsShouldLimitTheNegotiatedProtocol() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).startTls(PKI.issue(MX))
                .startTlsProtocols("TLSv1.2").start()) {
            send(server, clientRequiringTls(PKI.clientContext()), "limited\r\n");

            assertThat(server.awaitMessages(1, WAIT).get(0).tlsProtocol()).contains("TLSv1.2");
        }
    }

    @Test
    void serverLimitedToTls11ShouldFailEveryHandshakeUnderTheDefaultJdkPolicy() {
        // Documents the JVM-wide limit: jdk.tls.disabledAlgorithms forbids TLSv1.1 and no socket setting lifts it.
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).startTls(PKI.issue(MX))
                .startTlsProtocols("TLSv1.1").start()) {
            assertThatThrownBy(() -> send(server, clientRequiringTls(PKI.clientContext()), "old\r\n"))
                    .isInstanceOf(MessagingException.class).hasMessageContaining("Could not convert socket to TLS");

            SmtpSessionRecord session = server.awaitSessions(1, WAIT).get(0);
            assertThat(session.startTlsRequested()).isTrue();
            assertThat(session.tlsProtocol()).isEmpty();
            assertThat(session.handshakeFailure()).isPresent();
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void clientRequiringTlsShouldFailWhenStartTlsIsNotOffered() {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).start()) {
            assertThatThrownBy(() -> send(server, clientRequiringTls(PKI.clientContext()), "x\r\n"))
                    .isInstanceOf(MessagingException.class).hasMessageContaining("STARTTLS is required");

            assertThat(server.awaitSessions(1, WAIT).get(0).startTlsRequested()).isFalse();
            assertThat(server.plaintextMailCommands()).isZero();
        }
    }

    @Test
    void plaintextMailShouldBeRecordedWhenClientDoesNotUseStartTls() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).startTls(PKI.issue(MX)).start()) {
            send(server, plainClient(), "plain\r\n");

            ReceivedMessage message = server.awaitMessages(1, WAIT).get(0);
            assertThat(message.receivedOverTls()).isFalse();
            assertThat(server.plaintextMailCommands()).isEqualTo(1);
            assertThat(server.awaitSessions(1, WAIT).get(0).plaintextMailCommands()).isEqualTo(1);
        }
    }

    @Test
    void handshakeShouldFailWhenClientDoesNotTrustTheCertificate() {
        TestPki otherCa = TestPki.create("untrusted CA");
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).startTls(otherCa.issue(MX)).start()) {
            assertThatThrownBy(() -> send(server, clientRequiringTls(PKI.clientContext()), "x\r\n"))
                    .isInstanceOf(MessagingException.class).hasMessageContaining("Could not convert socket to TLS");

            SmtpSessionRecord session = server.awaitSessions(1, WAIT).get(0);
            assertThat(session.handshakeFailure()).isPresent();
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void everyRecipientShouldBeRejectedWith550WhenConfigured() {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).rejectEveryRecipient().start()) {
            assertThatThrownBy(() -> send(server, plainClient(), "x\r\n"))
                    .isInstanceOf(SendFailedException.class)
                    .hasStackTraceContaining("550 5.1.1");
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void everyRecipientShouldBeAnsweredWith451WhenConfigured() {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).answerTemporaryFailure().start()) {
            assertThatThrownBy(() -> send(server, plainClient(), "x\r\n"))
                    .isInstanceOf(SendFailedException.class)
                    .hasStackTraceContaining("451 4.3.0");
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void awaitMessagesShouldFailWithDescriptionWhenNothingArrives() {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(MX_IP).start()) {
            assertThatThrownBy(() -> server.awaitMessages(1, Duration.ZERO))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(MX_IP + ":" + server.port())
                    .hasMessageContaining("1 message(s)");
        }
    }

    @Test
    void builderShouldRefuseNonLoopbackAddress() {
        assertThatThrownBy(() -> TestSmtpServer.builder().bindAddress("0.0.0.0").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }

    private static Properties clientRequiringTls(SSLContext context) {
        Properties props = plainClient();
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", context.getSocketFactory());
        props.put("mail.smtp.ssl.checkserveridentity", "true");
        return props;
    }

    private static Properties plainClient() {
        Properties props = new Properties();
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "10000");
        props.put("mail.smtp.localhost", "client.test");
        return props;
    }

    private static void send(TestSmtpServer server, Properties props, String body) throws MessagingException {
        props.put("mail.smtp.host", MX);
        props.put("mail.smtp.port", String.valueOf(server.port()));
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@origin.test"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@destination.test"));
        message.setSubject("test");
        message.setText(body);
        Transport.send(message);
    }
}
