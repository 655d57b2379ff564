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
            Arguments.of("H4 printable ASCII kept", "mx1.example.com", 64, "mx1.example.com"),
            Arguments.of("H4 CR LF replaced", "mx\r\nX-Forged: 1", 64, "mx??X-Forged: 1"),
            Arguments.of("H4 NUL replaced", "mx\u0000.example", 64, "mx?.example"),
            Arguments.of("H4 DEL and tab replaced", "a\u007Fb\tc", 64, "a?b?c"),
            Arguments.of("H4 non-ASCII replaced per UTF-16 unit", "m\u00FCx\uD83D\uDE00", 64, "m?x??"),
            Arguments.of("H4 exactly at the bound kept whole", "abcdef", 6, "abcdef"),
            Arguments.of("H4 over the bound truncated with marker", "abcdefg", 6, "abc..."),
            Arguments.of("H4 empty stays empty", "", 3, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void cleanShouldKeepPrintableAsciiWithinTheBound(String rule, String text, int max, String expected) {
        String clean = NetworkText.clean(text, max);

        assertThat(clean).isEqualTo(expected);
        assertThat(clean.length()).isLessThanOrEqualTo(max);
        assertThat(clean.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    @Test
    void cleanShouldRefuseABoundTooSmallForTheMarker() {
        assertThatThrownBy(() -> NetworkText.clean("abc", 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
