package io.github.jamesmtasts.mtasts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

class MxPatternTest {

    static Stream<Arguments> matching() {
        return Stream.of(
            arguments("M 4.1 exact name matches", "mx.example.com", "mx.example.com", true),
            arguments("M 4.1 exact match is case-insensitive", "MX.Example.COM", "mx.example.com", true),
            arguments("M 4.1 host in upper case matches", "mx.example.com", "MX.EXAMPLE.COM", true),
            arguments("M 4.1 trailing dot of host ignored", "mx.example.com", "mx.example.com.", true),
            arguments("M 4.1 trailing dot of pattern ignored", "mx.example.com.", "mx.example.com", true),
            arguments("M 4.1 exact name does not match sub-domain", "example.com", "mx.example.com", false),
            arguments("M 4.1 exact name does not match other host", "mx.example.com", "mx2.example.com", false),
            arguments("M 4.1 exact name does not match suffix trick", "example.com", "evilexample.com", false),
            arguments("M 4.1 wildcard matches one label", "*.example.com", "mx.example.com", true),
            arguments("M 4.1 wildcard case-insensitive", "*.Example.com", "MX1.example.COM.", true),
            arguments("M 4.1 wildcard does not match the bare domain", "*.example.com", "example.com", false),
            arguments("M 4.1 wildcard does not match two labels", "*.example.com", "a.b.example.com", false),
            arguments("M 4.1 wildcard does not match other domain", "*.example.com", "mx.example.net", false),
            arguments("M 4.1 wildcard does not match suffix trick", "*.example.com", "mx.evilexample.com", false),
            arguments("M 4.1 wildcard is not a regex", "*.example.com", "mx.exampleXcom", false),
            arguments("T 3.1 U-label host matches its A-label pattern", "mx.xn--bcher-kva.example",
                "MX.B\u00fccher.example.", true));
    }

    static Stream<Arguments> invalidPatterns() {
        return Stream.of(
            arguments("P 3.2 IPv4 literal mx", "192.0.2.1"),
            arguments("P 3.2 bracketed IPv4 literal mx", "[192.0.2.1]"),
            arguments("P 3.2 IPv6 literal mx", "2001:db8::1"),
            arguments("P 3.2 double wildcard *.*", "*.*.example.com"),
            arguments("P 3.2 bare wildcard", "*"),
            arguments("P 3.2 wildcard and TLD only", "*.com"),
            arguments("P 3.2 inner wildcard", "mx.*.example.com"),
            arguments("P 3.2 partial-label wildcard", "mx*.example.com"),
            arguments("P 3.2 regex-like pattern", "mx.*"),
            arguments("P 3.2 U-label", "mx.b\u00fccher.example"),
            arguments("P 3.2 single label", "localhost"),
            arguments("P 3.2 empty", ""),
            arguments("P 3.2 empty label", "mx..example.com"),
            arguments("P 3.2 label starting with hyphen", "-mx.example.com"),
            arguments("P 3.2 label ending with hyphen", "mx-.example.com"),
            arguments("P 3.2 label of 64 characters", "a".repeat(64) + ".example.com"),
            arguments("P 3.2 underscore label", "mx_1.example.com"),
            arguments("P 3.2 space inside", "mx example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matching")
    void matchesShouldFollowRfc8461Section41(String rule, String pattern, String host, boolean expected) {
        assertThat(MxPattern.of(pattern).matches(DomainName.of(host).orElseThrow())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPatterns")
    void parseShouldRefuseInvalidMxValues(String rule, String value) {
        assertThat(MxPattern.parse(value)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalised")
    void valueShouldBeLowerCaseWithoutTrailingDot(String rule, String value, String expected, boolean wildcard) {
        MxPattern pattern = MxPattern.of(value);

        assertThat(pattern.value()).isEqualTo(expected);
        assertThat(pattern.isWildcard()).isEqualTo(wildcard);
        assertThat(MxPattern.of(expected)).isEqualTo(pattern);
    }

    static Stream<Arguments> normalised() {
        return Stream.of(
            arguments("P 3.2 A-label kept", "xn--bcher-kva.example", "xn--bcher-kva.example", false),
            arguments("P 3.2 case folded", "MX.Example.Com", "mx.example.com", false),
            arguments("P 3.2 trailing dot dropped", "mx.example.com.", "mx.example.com", false),
            arguments("P 3.2 wildcard kept", "*.Example.com.", "*.example.com", true),
            arguments("P 3.2 label of 63 characters", "a".repeat(63) + ".example.com", "a".repeat(63) + ".example.com", false));
    }
}
