package io.github.jamesmtasts.tlsrpt.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkTextTest {

    static Stream<Arguments> rows() {
        return Stream.of(
            Arguments.of("H4 printable ASCII is kept", "454 4.7.0 TLS not available", 100,
                "454 4.7.0 TLS not available"),
            Arguments.of("H4 CR and LF are replaced (no log injection)", "454 busy\r\nFAKE LOG LINE", 100,
                "454 busy??FAKE LOG LINE"),
            Arguments.of("H4 NUL and DEL are replaced (no database rejection)", "a\u0000b\u007fc", 100, "a?b?c"),
            Arguments.of("H4 non-ASCII is replaced", "r\u00e9ponse \u2603", 100, "r?ponse ?"),
            Arguments.of("H4 text at the bound is kept whole", "12345", 5, "12345"),
            Arguments.of("H4 longer text is cut with a marker within the bound", "123456", 5, "12..."),
            Arguments.of("H4 non-ASCII replaced per UTF-16 unit", "m\u00FCx\uD83D\uDE00", 64, "m?x??"),
            Arguments.of("H4 tab replaced", "a\tb", 64, "a?b"),
            Arguments.of("H4 empty stays empty", "", 3, ""),
            Arguments.of("H4 null is empty", null, 10, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void cleanShouldKeepPrintableAsciiWithinTheBound(String name, String text, int max, String expected) {
        String clean = NetworkText.clean(text, max);

        assertThat(clean).isEqualTo(expected);
        assertThat(clean.length()).isLessThanOrEqualTo(max);
        assertThat(clean.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    @Test
    void cleanShouldBoundAHugeInput() {
        String huge = "x".repeat(10_000_000);

        assertThat(NetworkText.clean(huge, 200)).hasSize(200).endsWith(NetworkText.TRUNCATION_MARKER);
    }

    @Test
    void cleanShouldRefuseABoundShorterThanTheMarker() {
        assertThatThrownBy(() -> NetworkText.clean("abc", 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
