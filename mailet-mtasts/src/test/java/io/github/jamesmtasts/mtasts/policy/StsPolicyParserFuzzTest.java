package io.github.jamesmtasts.mtasts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Invariants of the policy parser on arbitrary bodies. Without JAZZER_FUZZ=1 this replays the seed corpus in
 * {@code StsPolicyParserFuzzTestInputs/} (every row of {@link StsPolicyParserTest}); with it, Jazzer mutates from
 * those seeds (see docs/fuzzing.md).
 */
class StsPolicyParserFuzzTest {

    private static final String SEEDS = "StsPolicyParserFuzzTestInputs/parserShouldNeverThrowAndKeepPolicyInvariants";

    @FuzzTest(maxDuration = "60m", maxExecutions = 10_000_000)
    void parserShouldNeverThrowAndKeepPolicyInvariants(byte[] input) {
        // The fetcher decodes policy bodies as UTF-8 (RFC 8461 3.2 allows UTF-8 in extension values).
        String body = new String(input, StandardCharsets.UTF_8);

        StsPolicyParseResult result = StsPolicyParser.parse(body);

        assertThat(result.policy().isPresent()).isNotEqualTo(result.reason().isPresent());
        result.reason().ifPresent(reason -> assertThat(reason).isNotEmpty().doesNotContainPattern("\\p{Cntrl}"));
        result.policy().ifPresent(policy -> {
            assertThat(policy.maxAge()).isBetween(Duration.ZERO, Duration.ofSeconds(StsPolicyParser.MAX_AGE_CAP_SECONDS));
            if (policy.mx().isEmpty()) {
                assertThat(policy.mode()).isEqualTo(Mode.NONE);
            }
            for (MxPattern mx : policy.mx()) {
                assertThat(mx.value()).matches("(\\*\\.)?[a-z0-9.-]+");
                assertThat(MxPattern.parse(mx.value())).hasValue(mx);
            }
            assertThat(policy.lines()).allSatisfy(line -> assertThat(line).doesNotContain("\n").isNotBlank());
            assertThat(StsPolicyParser.parse(String.join("\n", policy.lines())).policy()).hasValue(policy);
        });
    }

    @Test
    void seedCorpusShouldHoldEveryTableRow() throws IOException, URISyntaxException {
        Path dir = Paths.get(getClass().getResource(SEEDS).toURI());
        List<String> seeds;
        try (Stream<Path> files = Files.list(dir)) {
            seeds = files.map(StsPolicyParserFuzzTest::read).collect(Collectors.toList());
        }
        List<String> rows = Stream.concat(StsPolicyParserTest.accepted(), StsPolicyParserTest.rejected())
            .map(arguments -> (String) arguments.get()[1])
            .collect(Collectors.toList());

        assertThat(seeds).containsAll(rows);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
