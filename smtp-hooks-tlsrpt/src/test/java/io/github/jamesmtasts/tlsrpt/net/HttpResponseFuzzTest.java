package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Invariants of reading an HTTP/1.1 response from a policy host or report collector (design H2): whatever the peer
 * sends, the head and body readers fail only with an {@code IOException} and never return more than the cap. Without
 * JAZZER_FUZZ=1 this runs the seeds in {@code HttpResponseFuzzTestInputs/} as a regression test.
 */
class HttpResponseFuzzTest {

    private static final long CAP = 4096;

    @FuzzTest(maxDuration = "60m", maxExecutions = 10_000_000)
    void responseShouldOnlyFailWithAnIOExceptionAndNeverExceedTheCap(byte[] input) {
        InputStream in = new ByteArrayInputStream(input);
        try {
            byte[] head = HttpBodyReader.readHeadBytes(in, HttpsExchange.MAX_HEAD_BYTES);
            assertThat(head.length).isLessThanOrEqualTo(HttpsExchange.MAX_HEAD_BYTES);
            HttpsExchange.Head parsed = HttpsExchange.Head.parse(head);
            assertThat(parsed.status()).isBetween(0, 999);
            byte[] body = HttpBodyReader.read(in, parsed.status(), parsed.headers(), CAP);
            assertThat((long) body.length).isLessThanOrEqualTo(CAP);
        } catch (IOException expected) {
            // Refused input: the fetch or send fails with a reason, nothing else happens.
        }
    }
}
