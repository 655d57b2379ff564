package io.github.jamesmtasts.tlsrpt.discover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.testing.SmallStack;

/** H2: hostile sizes are rejected with a reason, and no size overflows a small thread stack. */
class TlsRptRecordParserBoundsTest {

    @Test
    void longMailtoShouldBeRejectedWithoutOverflowingTheStack() {
        // Reproduces issue 9: a 3,000-character mailto: rua overflowed the stack in the URI pattern.
        String record = "v=TLSRPTv1; rua=mailto:" + "a".repeat(3_000) + "@example.com";

        TxtRecordOutcome<TlsRptRecord> outcome = SmallStack.call(() -> TlsRptRecordParser.parse(record));

        assertThat(outcome.kind()).isEqualTo(TxtRecordOutcome.Kind.INVALID);
        assertThat(outcome.reason()).get().asString().contains("longer than 2048", "shorten");
    }

    @Test
    void uriAtTheLimitShouldBeAccepted() {
        String prefix = "https://r.example.com/";
        String uri = prefix + "%41".repeat((TlsRptRecordParser.MAX_URI_LENGTH - prefix.length()) / 3);
        uri = uri + "b".repeat(TlsRptRecordParser.MAX_URI_LENGTH - uri.length());
        String record = "v=TLSRPTv1; rua=" + uri;

        TxtRecordOutcome<TlsRptRecord> outcome = SmallStack.call(() -> TlsRptRecordParser.parse(record));

        assertThat(outcome.kind()).isEqualTo(TxtRecordOutcome.Kind.VALID);
        assertThat(outcome.record().get().reportUris().get(0).original()).hasSize(TlsRptRecordParser.MAX_URI_LENGTH);
    }

    @Test
    void tenKilobyteUriShouldBeRejected() {
        String record = "v=TLSRPTv1; rua=https://r.example.com/" + "%41".repeat(10_000 / 3);

        TxtRecordOutcome<TlsRptRecord> outcome = SmallStack.call(() -> TlsRptRecordParser.parse(record));

        assertThat(outcome.kind()).isEqualTo(TxtRecordOutcome.Kind.INVALID);
        assertThat(outcome.reason()).get().asString().contains("rua URI", "longer than 2048");
    }

    @Test
    void recordOfAWholeTxtRrsetShouldBeRejectedBeforeParsing() {
        String record = "v=TLSRPTv1; rua=mailto:a@example.com; x=" + "y".repeat(65_535 - 40);

        TxtRecordOutcome<TlsRptRecord> outcome = SmallStack.call(() -> TlsRptRecordParser.parse(record));

        assertThat(outcome.kind()).isEqualTo(TxtRecordOutcome.Kind.INVALID);
        assertThat(outcome.reason()).get().asString().contains("longer than " + TlsRptRecordParser.MAX_RECORD_LENGTH);
    }

    @Test
    void recordJustUnderTheLimitWithManyUrisShouldParseOnASmallStack() {
        StringBuilder record = new StringBuilder("v=TLSRPTv1; rua=");
        String uri = "mailto:r@" + "a".repeat(2_000) + ".example";
        while (record.length() + uri.length() + 1 < TlsRptRecordParser.MAX_RECORD_LENGTH) {
            record.append(uri).append(',');
        }
        record.append("mailto:last@example.com");

        TxtRecordOutcome<TlsRptRecord> outcome = SmallStack.call(() -> TlsRptRecordParser.parse(record.toString()));

        assertThat(outcome.kind()).isEqualTo(TxtRecordOutcome.Kind.VALID);
    }
}
