package io.github.jamesmtasts.tlsrpt.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;

/**
 * Invariants of the record parser on arbitrary input. Without JAZZER_FUZZ=1 this runs the seed corpus in
 * {@code TlsRptRecordParserFuzzTestInputs/} (every accept and reject row of {@link TlsRptRecordParserTest}) as a
 * regression test; with it, Jazzer mutates from those seeds.
 */
class TlsRptRecordParserFuzzTest {

    private static final String SEEDS = "TlsRptRecordParserFuzzTestInputs/parserShouldNeverThrowAndOnlyAcceptMailtoOrHttps";

    @FuzzTest(maxDuration = "60m", maxExecutions = 10_000_000)
    void parserShouldNeverThrowAndOnlyAcceptMailtoOrHttps(byte[] input) {
        String txt = new String(input, StandardCharsets.ISO_8859_1);

        TxtRecordOutcome<TlsRptRecord> outcome = TlsRptRecordParser.parse(txt);

        assertThat(outcome.kind()).isIn(TxtRecordOutcome.Kind.VALID, TxtRecordOutcome.Kind.INVALID);
        outcome.record().ifPresent(record -> {
            assertThat(record.reportUris()).isNotEmpty();
            for (ReportUri uri : record.reportUris()) {
                String scheme = uri.original().substring(0, uri.original().indexOf(':')).toLowerCase(Locale.ROOT);
                assertThat(scheme).isIn("mailto", "https");
                assertThat(uri.kind()).isEqualTo(scheme.equals("mailto") ? ReportUri.Kind.MAILTO : ReportUri.Kind.HTTPS);
                assertThat(uri.address()).doesNotContain("\r", "\n", " ");
            }
        });
    }

    @Test
    void seedCorpusShouldHoldEveryTableRow() throws IOException, URISyntaxException {
        Path dir = Paths.get(getClass().getResource(SEEDS).toURI());
        List<String> seeds;
        try (Stream<Path> files = Files.list(dir)) {
            seeds = files.map(TlsRptRecordParserFuzzTest::read).collect(Collectors.toList());
        }
        List<String> rows = Stream.concat(TlsRptRecordParserTest.accepted(), TlsRptRecordParserTest.rejected())
            .map(arguments -> (String) arguments.get()[1])
            .collect(Collectors.toList());

        assertThat(seeds).containsAll(rows);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
