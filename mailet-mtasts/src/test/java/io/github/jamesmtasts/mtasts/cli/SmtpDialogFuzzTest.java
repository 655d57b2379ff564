package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.github.jamesmtasts.tlsrpt.testing.SmallStack;

/**
 * H2: reading an SMTP reply from a hostile server ends in a bounded reply or an {@link IOException}, never another
 * exception. Without JAZZER_FUZZ=1 this replays {@code SmtpDialogFuzzTestInputs/} (normal, multiline, over-long and
 * broken replies); with it, Jazzer mutates from them (see docs/fuzzing.md).
 */
class SmtpDialogFuzzTest {

    @FuzzTest(maxDuration = "60m", maxExecutions = 10_000_000)
    void replyReadingShouldEndInAReplyOrAnIoException(byte[] input) {
        SmtpDialog dialog = new SmtpDialog(new ByteArrayInputStream(input), new ByteArrayOutputStream());
        SmtpDialog.Reply reply;
        try {
            reply = dialog.read();
        } catch (IOException e) {
            assertThat(e.getMessage()).matches("[\\x20-\\x7E]*");
            return;
        }
        assertThat(reply.code()).isBetween(0, 999);
        assertThat(reply.firstLine()).matches("[\\x20-\\x7E]*").hasSizeLessThanOrEqualTo(83);
        assertThat(input.length).isGreaterThanOrEqualTo(4);
    }

    @Test
    void tenKilobyteLineShouldBeRefusedOnASmallStack() {
        byte[] reply = ("220 " + "x".repeat(10_000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

        Throwable failure = SmallStack.call(() -> {
            try {
                new SmtpDialog(new ByteArrayInputStream(reply), new ByteArrayOutputStream()).read();
                return null;
            } catch (IOException e) {
                return e;
            }
        });

        assertThat(failure).isInstanceOf(ProtocolException.class).hasMessageContaining("longer than " + SmtpDialog.MAX_LINE);
    }

    @Test
    void replyOfTooManyLinesShouldBeRefused() {
        byte[] reply = "250-x\r\n".repeat(SmtpDialog.MAX_LINES + 1).getBytes(StandardCharsets.ISO_8859_1);

        Throwable failure = SmallStack.call(() -> {
            try {
                new SmtpDialog(new ByteArrayInputStream(reply), new ByteArrayOutputStream()).read();
                return null;
            } catch (IOException e) {
                return e;
            }
        });

        assertThat(failure).isInstanceOf(ProtocolException.class).hasMessageContaining(SmtpDialog.MAX_LINES + " lines");
    }

    @Test
    void multilineReplyChangingItsCodeShouldBeRefused() {
        byte[] reply = "250-mx.example\r\n550 nope\r\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(org.assertj.core.api.Assertions.catchThrowable(
            () -> new SmtpDialog(new ByteArrayInputStream(reply), new ByteArrayOutputStream()).read()))
            .isInstanceOf(ProtocolException.class).hasMessageContaining("changes its code");
    }
}
