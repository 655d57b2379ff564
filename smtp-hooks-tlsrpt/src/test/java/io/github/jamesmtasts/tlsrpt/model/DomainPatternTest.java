package io.github.jamesmtasts.tlsrpt.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DomainPatternTest {

    static Stream<Arguments> matching() {
        return Stream.of(
            arguments("M 4.1 exact name", "mx.example.com", "mx.example.com", true),
            arguments("M 4.1 pattern case and root dot folded", "MX.Example.COM.", "mx.example.com", true),
            arguments("M 4.1 exact name is not a sub-domain", "example.com", "mx.example.com", false),
            arguments("M 4.1 suffix trick", "example.com", "evilexample.com", false),
            arguments("M 4.1 wildcard covers one label", "*.example.com", "mx.example.com", true),
            arguments("M 4.1 wildcard case folded", "*.Example.COM.", "mx1.example.com", true),
            arguments("M 4.1 wildcard never covers the bare domain", "*.example.com", "example.com", false),
            arguments("M 4.1 wildcard never covers two labels", "*.example.com", "a.b.example.com", false),
            arguments("M 4.1 wildcard suffix trick", "*.example.com", "mx.evilexample.com", false),
            arguments("T 3.1 A-label pattern matches the A-label host", "*.xn--bcher-kva.example",
                "mx.xn--bcher-kva.example", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matching")
    void matchesShouldCoverExactlyOneLabel(String rule, String pattern, String host, boolean expected) {
        assertThat(DomainPattern.parse(pattern).orElseThrow().matches(DomainName.of(host).orElseThrow()))
            .isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
            arguments("P 3.2 IPv4 literal", "192.0.2.1"),
            arguments("P 3.2 bracketed literal", "[192.0.2.1]"),
            arguments("P 3.2 IPv6 literal", "2001:db8::1"),
            arguments("P 3.2 wildcard over an IP-like suffix", "*.0.2.1"),
            arguments("P 3.2 double wildcard", "*.*.example.com"),
            arguments("P 3.2 bare wildcard", "*"),
            arguments("RFC 6125 6.4.3 wildcard over one label", "*.com"),
            arguments("RFC 6125 6.4.3 wildcard not left-most", "mx.*.example.com"),
            arguments("RFC 6125 6.4.3 partial-label wildcard", "m*.example.com"),
            arguments("P 3.2 U-label: patterns are written in A-labels", "mx.b\u00fccher.example"),
            arguments("P 3.2 wildcard and U-label", "*.b\u00fccher.example"),
            arguments("P 3.2 single label", "localhost"),
            arguments("P 3.2 empty", ""),
            arguments("P 3.2 wildcard and nothing", "*."),
            arguments("P 3.2 label of 64 characters", "a".repeat(64) + ".example.com"),
            arguments("P 3.2 underscore", "mx_1.example.com"),
            arguments("RFC 6125 6.4.1 surrounding space", " mx.example.com"),
            arguments("P 3.2 control character", "mx.example.com\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void parseShouldRefuseWhatIsNoNameNorWildcard(String rule, String text) {
        assertThat(DomainPattern.parse(text)).isEmpty();
    }

    @Test
    void valueShouldBeTheNormalisedText() {
        assertThat(DomainPattern.parse("*.Example.COM.").orElseThrow().value()).isEqualTo("*.example.com");
        assertThat(DomainPattern.parse("MX.example.com").orElseThrow().value()).isEqualTo("mx.example.com");
        assertThat(DomainPattern.parse("*.example.com").orElseThrow().isWildcard()).isTrue();
        assertThat(DomainPattern.parse("*.example.com")).isEqualTo(DomainPattern.parse("*.EXAMPLE.com."));
        assertThat(DomainPattern.parse("*.example.com")).isNotEqualTo(DomainPattern.parse("example.com"));
    }

    @Test
    void parentShouldDropTheLeftMostLabelWhileTwoRemain() {
        assertThat(DomainName.of("a.mx.example.com").orElseThrow().parent()).isEqualTo(DomainName.of("mx.example.com"));
        assertThat(DomainName.of("mx.example.com").orElseThrow().parent()).isEqualTo(DomainName.of("example.com"));
        assertThat(DomainName.of("example.com").orElseThrow().parent()).isEmpty();
    }
}
