package io.github.jamesmtasts.tlsrpt.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DurationsTest {

    static Stream<Arguments> rows() {
        return Stream.of(
            Arguments.of("milliseconds", "500ms", Optional.of(Duration.ofMillis(500))),
            Arguments.of("seconds", "30s", Optional.of(Duration.ofSeconds(30))),
            Arguments.of("bare number is seconds", "60", Optional.of(Duration.ofSeconds(60))),
            Arguments.of("minutes with a space and upper case", "5 M", Optional.of(Duration.ofMinutes(5))),
            Arguments.of("hours", "4h", Optional.of(Duration.ofHours(4))),
            Arguments.of("days", "30d", Optional.of(Duration.ofDays(30))),
            Arguments.of("ISO-8601", "PT4H", Optional.of(Duration.ofHours(4))),
            Arguments.of("ISO-8601 lower case", "pt90s", Optional.of(Duration.ofSeconds(90))),
            Arguments.of("words are refused", "four hours", Optional.empty()),
            Arguments.of("unknown unit is refused", "3w", Optional.empty()),
            Arguments.of("empty is refused", "", Optional.empty()),
            Arguments.of("too many digits is refused, not an overflow", "12345678901s", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void parseShouldAcceptTheDocumentedForms(String name, String text, Optional<Duration> expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }
}
