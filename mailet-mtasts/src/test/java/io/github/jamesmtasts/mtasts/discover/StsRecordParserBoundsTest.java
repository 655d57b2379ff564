package io.github.jamesmtasts.mtasts.discover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.testing.SmallStack;

/** H2: a record as long as a whole TXT RRset is refused before matching, on a small stack. */
class StsRecordParserBoundsTest {

    @Test
    void recordOfAWholeTxtRrsetShouldBeInvalidWithAReason() {
        String record = "v=STSv1; id=20240101; x=" + "y".repeat(65_535 - 24);

        TxtRecordOutcome<StsRecord> result = SmallStack.call(() -> StsRecordParser.parse(record));

        assertThat(result.kind()).isEqualTo(TxtRecordOutcome.Kind.INVALID);
        assertThat(result.reason()).get().asString().contains("longer than " + StsRecordParser.MAX_RECORD_LENGTH);
    }

    @Test
    void recordAtTheLimitShouldParseOnASmallStack() {
        String head = "v=STSv1; id=20240101; x=";
        String record = head + "y".repeat(StsRecordParser.MAX_RECORD_LENGTH - head.length());

        TxtRecordOutcome<StsRecord> result = SmallStack.call(() -> StsRecordParser.parse(record));

        assertThat(result.kind()).isEqualTo(TxtRecordOutcome.Kind.VALID);
    }

}
