package io.github.jamesmtasts.mtasts.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.URLName;

import org.junit.jupiter.api.Test;

import com.sun.mail.smtp.SMTPTransport;

class MailSessionsTest {

    @Test
    void borrowShouldLeaveNoPropertyOfTheEarlierSmtpSessionWhenReusingASession() {
        MailSessions sessions = new MailSessions();
        Object strictFactory = new Object();
        Properties strict = new Properties();
        strict.put("mail.smtp.ssl.socketFactory", strictFactory);
        strict.put("mail.smtp.starttls.required", "true");
        strict.put("mail.smtp.from", "first@example.com");
        Session first = sessions.borrow(strict);
        sessions.release(first);

        Properties plain = new Properties();
        plain.put("mail.smtp.from", "second@example.com");
        Session second = sessions.borrow(plain);

        assertThat(second).isSameAs(first);
        assertThat(second.getProperties()).containsOnlyKeys("mail.smtp.from");
        assertThat(second.getProperty("mail.smtp.from")).isEqualTo("second@example.com");
    }

    @Test
    void borrowShouldNeverHandOutASessionThatIsStillInUse() {
        MailSessions sessions = new MailSessions();
        Session first = sessions.borrow(new Properties());

        Session second = sessions.borrow(new Properties());

        assertThat(second).isNotSameAs(first);
    }

    @Test
    void closingAnSmtpSessionTwiceShouldReleaseItsSessionOnce() throws Exception {
        MailSessions sessions = new MailSessions();
        Session session = sessions.borrow(new Properties());
        SMTPTransport transport = new SMTPTransport(session, new URLName("smtp://mx.example.com"));
        SmtpSession smtpSession = new SmtpSession(transport, new Socket(), () -> sessions.release(session));

        smtpSession.close();
        smtpSession.close();

        assertThat(sessions.borrow(new Properties())).isSameAs(session);
        assertThat(sessions.borrow(new Properties())).isNotSameAs(session);
    }
}
