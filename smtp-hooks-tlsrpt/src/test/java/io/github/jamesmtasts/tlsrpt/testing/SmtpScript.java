package io.github.jamesmtasts.tlsrpt.testing;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scripted {@link TestSmtpServer} does instead of its normal answer at chosen steps of the conversation before
 * TLS: answer a chosen reply, drop the connection, or send an endless reply (one line without end, or continuation
 * lines without end; at most {@link #ENDLESS_CAP} bytes, then the reply is ended). Immutable; {@link #normal()}
 * changes nothing.
 *
 * <pre>
 * TestSmtpServer.builder().script(SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, "454 4.7.0 TLS not available"))
 * </pre>
 */
public final class SmtpScript {

    /** The steps of an SMTP session that come before TLS (RFC 5321 3.1, 4.1.1.1; RFC 3207 4). */
    public enum Step {
        /** The server's first reply, right after the TCP connection is accepted. */
        GREETING,
        /** The answer to EHLO and to the HELO a client may fall back to. */
        EHLO,
        /** The answer to STARTTLS; a scripted STARTTLS is always advertised in the EHLO reply. */
        STARTTLS,
        /** The answer to the EHLO sent after TLS is up (the only step scripted after TLS; needs startTls). */
        EHLO_AFTER_TLS
    }

    /** An "endless" reply stops after this many bytes, so that a client without a bound still gets an answer. */
    public static final int ENDLESS_CAP = 64 * 1024 * 1024;

    /** Markers of the endless replies, told apart by identity from any scripted reply text. */
    static final String ENDLESS_LINE = new String("<endless line>");
    static final String ENDLESS_CONTINUATION = new String("<endless continuation lines>");

    private final Map<Step, Optional<String>> actions;

    private SmtpScript(Map<Step, Optional<String>> actions) {
        this.actions = actions;
    }

    public static SmtpScript normal() {
        return new SmtpScript(new EnumMap<>(Step.class));
    }

    /** @param replyLine one complete reply line such as {@code "454 4.7.0 TLS not available"} (CRLF is added) */
    public SmtpScript reply(Step step, String replyLine) {
        return with(step, Optional.of(Objects.requireNonNull(replyLine, "replyLine")));
    }

    /** Closes the connection at {@code step} without answering. */
    public SmtpScript drop(Step step) {
        return with(step, Optional.empty());
    }

    /** Answers one line without end: the reply code, a space and {@link #ENDLESS_CAP} bytes, then CRLF. */
    public SmtpScript endlessLine(Step step) {
        return with(step, Optional.of(ENDLESS_LINE));
    }

    /** Answers continuation lines ({@code "250-xxx"}, 1,000 bytes each) without end, up to {@link #ENDLESS_CAP}. */
    public SmtpScript endlessContinuation(Step step) {
        return with(step, Optional.of(ENDLESS_CONTINUATION));
    }

    private SmtpScript with(Step step, Optional<String> action) {
        Map<Step, Optional<String>> copy = new EnumMap<>(Step.class);
        copy.putAll(actions);
        copy.put(Objects.requireNonNull(step, "step"), action);
        return new SmtpScript(copy);
    }

    boolean scripts(Step step) {
        return actions.containsKey(step);
    }

    /** Empty when the step is not scripted; an empty inner Optional means "drop the connection". */
    Optional<Optional<String>> at(Step step) {
        return Optional.ofNullable(actions.get(step));
    }

    @Override
    public String toString() {
        return actions.isEmpty() ? "normal" : actions.toString();
    }
}
