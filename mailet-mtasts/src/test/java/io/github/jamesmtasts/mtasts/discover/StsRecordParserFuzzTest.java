package io.github.jamesmtasts.mtasts.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;

/**
 * Invariants of the {@code _mta-sts} record parser on arbitrary input. Without JAZZER_FUZZ=1 this replays the seed
 * corpus in {@code StsRecordParserFuzzTestInputs/} (every row of {@link StsRecordParserTest}); with it, Jazzer mutates
 * from those seeds (see docs/fuzzing.md).
 */
class StsRecordParserFuzzTest {

    private static final String SEEDS = "StsRecordParserFuzzTestInputs/parserShouldNeverThrowAndOnlyAcceptAbnfRecords";

    @FuzzTest(maxDuration = "60m", maxExecutions = 10_000_000)
    void parserShouldNeverThrowAndOnlyAcceptAbnfRecords(byte[] input) {
        // TXT strings are octets; DnsJavaTxtResolver maps them to chars one to one (ISO-8859-1).
        String txt = new String(input, StandardCharsets.ISO_8859_1);

        TxtRecordOutcome<StsRecord> result = StsRecordParser.parse(txt);

        assertThat(result.kind() == TxtRecordOutcome.Kind.ABSENT).isEqualTo(!StsRecordParser.isStsRecord(txt));
        result.reason().ifPresent(reason -> assertThat(reason).matches("[\\x20-\\x7E]+"));
        result.record().ifPresent(record -> {
            assertThat(txt).startsWith("v=STSv1");
            assertThat(record.id()).matches("[A-Za-z0-9]{1,32}");
            assertThat(StsRecordParser.parse(render(record))).isEqualTo(result);
        });
    }

    @Test
    void seedCorpusShouldHoldEveryTableRow() throws IOException, URISyntaxException {
        Path dir = Paths.get(getClass().getResource(SEEDS).toURI());
        List<String> seeds;
        try (Stream<Path> files = Files.list(dir)) {
            seeds = files.map(StsRecordParserFuzzTest::read).collect(Collectors.toList());
        }
        List<String> rows = Stream.concat(StsRecordParserTest.accepted(), StsRecordParserTest.rejected())
            .map(arguments -> (String) arguments.get()[1])
            .collect(Collectors.toList());

        assertThat(seeds).containsAll(rows);
    }

    private static String render(StsRecord record) {
        return "v=STSv1; id=" + record.id();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
