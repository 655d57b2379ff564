package io.github.jamesmtasts.tlsrpt.send;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/** Keeps every submitted mail; can refuse the next submissions like a full spool would. */
final class RecordingMailer implements ReportMailer {

    private final List<MimeMessage> submitted = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuseNext = new AtomicInteger();

    void refuseNext(int count) {
        refuseNext.set(count);
    }

    List<MimeMessage> submitted() {
        return submitted;
    }

    @Override
    public void submit(MimeMessage message) throws MessagingException {
        if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new MessagingException("spool full");
        }
        submitted.add(message);
    }
}
