package io.github.jamesmtasts.mtasts.deliver;

import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.mail.Session;

/**
 * Reuses javax.mail {@link Session}s between SMTP sessions. {@code Session}'s constructor scans the whole class
 * path for {@code javamail.providers} and address map resources on every call, which took about a tenth of a
 * delivery thread's time in {@code DeliveryBenchmark}; stock RemoteDelivery pools its sessions for the same reason.
 *
 * <p>A borrowed {@code Session} serves one SMTP session at a time and has ALL its properties replaced on each
 * borrow, so nothing (socket factory, STARTTLS requirement, envelope sender) carries over from an earlier SMTP
 * session. A session comes back only when its {@link SmtpSession} is closed (a failed open drops it); the pool
 * never holds more sessions than were in use at once.
 */
final class MailSessions {

    private final Queue<Session> idle = new ConcurrentLinkedQueue<>();

    /** @param properties flat (no defaults layer) and owned by the caller's SMTP session from now on */
    Session borrow(Properties properties) {
        Session session = idle.poll();
        if (session == null) {
            return Session.getInstance(properties);
        }
        // Session.getProperties() is the live object javax.mail reads from: replace its whole content.
        Properties live = session.getProperties();
        live.clear();
        live.putAll(properties);
        return session;
    }

    /** Hands a session back once the SMTP session that borrowed it is closed and will not touch it again. */
    void release(Session session) {
        idle.offer(session);
    }
}
