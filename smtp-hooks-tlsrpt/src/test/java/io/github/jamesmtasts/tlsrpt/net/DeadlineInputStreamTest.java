package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Design H5: every read waits at most until the exchange's one deadline; none starts after it. */
class DeadlineInputStreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A monotonic clock the test moves; starts at an arbitrary value, as System.nanoTime() may. */
    private final AtomicLong nanos = new AtomicLong(-7_000_000_000L);
    private final Deadline deadline = new Deadline(TIMEOUT, nanos::get, "the exchange with collector.test");
    private final Socket socket = new Socket();
    private final AtomicInteger delegateReads = new AtomicInteger();

    @AfterEach
    void close() throws IOException {
        socket.close();
    }

    private InputStream stream(byte... bytes) {
        InputStream data = new ByteArrayInputStream(bytes);
        InputStream counting = new InputStream() {
            @Override
            public int read() throws IOException {
                delegateReads.incrementAndGet();
                return data.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                delegateReads.incrementAndGet();
                return data.read(buffer, offset, length);
            }
        };
        return new DeadlineInputStream(counting, socket, deadline);
    }

    static Stream<Arguments> timeLeft() {
        return Stream.of(
            arguments("H5 at the start the whole timeout is left", Duration.ZERO, 10_000),
            arguments("H5 the read timeout shrinks as time passes", Duration.ofMillis(8_500), 1_500),
            arguments("H5 one whole millisecond left is still a read", Duration.ofMillis(9_999), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timeLeft")
    void readShouldWaitAtMostWhatIsLeft(String rule, Duration elapsed, int expectedSoTimeout) throws IOException {
        nanos.addAndGet(elapsed.toNanos());

        assertThat(stream((byte) 'a', (byte) 'b').read(new byte[2], 0, 2)).isEqualTo(2);

        assertThat(socket.getSoTimeout()).isEqualTo(expectedSoTimeout);
    }

    static Stream<Arguments> noTimeLeft() {
        return Stream.of(
            arguments("H5 less than a millisecond left is no time left (0 would mean no timeout)", Duration.ofNanos(9_999_000_001L)),
            arguments("H5 deadline reached", TIMEOUT),
            arguments("H5 deadline long passed", Duration.ofMinutes(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noTimeLeft")
    void readAfterTheDeadlineShouldFailWithoutReading(String rule, Duration elapsed) {
        nanos.addAndGet(elapsed.toNanos());

        assertThatThrownBy(() -> stream((byte) 'a').read())
            .isInstanceOf(HttpsExchange.DeadlineExceededException.class)
            .hasMessage("the exchange with collector.test did not complete within PT10S");
        assertThat(delegateReads).hasValue(0);
    }

    @Test
    void singleByteReadShouldBeUnsignedAndEndOfStreamMinusOne() throws IOException {
        InputStream in = stream((byte) 0xff);

        assertThat(in.read()).isEqualTo(255);
        assertThat(in.read()).isEqualTo(-1);
    }

    static Stream<Arguments> failures() {
        IOException reset = new IOException("connection reset");
        SocketTimeoutException readTimeout = new SocketTimeoutException("Read timed out");
        return Stream.of(
            arguments("H5 an I/O failure with time left stays what it is", Duration.ZERO, reset, false),
            arguments("H5 a read timeout is the deadline (reads wait only until it)", Duration.ZERO, readTimeout, true),
            arguments("H5 any failure after the deadline is the deadline (the timer closed the socket)", TIMEOUT, reset,
                true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failuresShouldBeReportedAsTheDeadlineWhenItExplainsThem(String rule, Duration elapsed, IOException failure,
                                                               boolean deadlineExceeded) {
        nanos.addAndGet(elapsed.toNanos());

        IOException reported = deadline.timedOutOr(failure);

        if (deadlineExceeded) {
            assertThat(reported).isInstanceOf(HttpsExchange.DeadlineExceededException.class).hasCause(failure);
        } else {
            assertThat(reported).isSameAs(failure);
        }
    }
}
