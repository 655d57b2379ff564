package io.github.jamesmtasts.mtasts.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyDomainTest {

    static Stream<Arguments> rows() {
        return Stream.of(
            arguments("T 3.1 plain domain kept", "example.com", Optional.of("example.com")),
            arguments("T 3.1 lower-cased", "Example.COM", Optional.of("example.com")),
            arguments("T 3.1 trailing dot dropped", "example.com.", Optional.of("example.com")),
            arguments("T 3.1 U-label converted to A-label", "b\u00fccher.example", Optional.of("xn--bcher-kva.example")),
            arguments("T 3.1 A-label kept", "xn--bcher-kva.example", Optional.of("xn--bcher-kva.example")),
            arguments("T 3.1 longest allowed domain", label(63) + "." + label(63) + "." + label(63) + "." + label(53),
                Optional.of(label(63) + "." + label(63) + "." + label(63) + "." + label(53))),
            arguments("T 3.1 too long for mta-sts prefix", label(63) + "." + label(63) + "." + label(63) + "." + label(54), Optional.empty()),
            arguments("A 3.4 IPv4 literal has no policy", "192.0.2.1", Optional.empty()),
            arguments("A 3.4 bracketed literal has no policy", "[192.0.2.1]", Optional.empty()),
            arguments("A 3.4 IPv6 literal has no policy", "2001:db8::1", Optional.empty()),
            arguments("T 3.1 single label refused", "localhost", Optional.empty()),
            arguments("T 3.1 empty refused", "", Optional.empty()),
            arguments("T 3.1 URL characters refused", "example.com/x?", Optional.empty()),
            arguments("T 3.1 port refused", "example.com:443", Optional.empty()),
            arguments("T 3.1 user part refused", "user@example.com", Optional.empty()),
            arguments("T 3.1 empty label refused", "a..example", Optional.empty()),
            arguments("T 3.1 label of 64 characters refused", label(64) + ".example", Optional.empty()),
            arguments("T 3.1 underscore refused", "_x.example", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void normalizeShouldYieldLowerCaseALabelsOrNothing(String rule, String domain, Optional<String> expected) {
        assertThat(PolicyDomain.normalize(domain)).isEqualTo(expected);
    }

    private static String label(int length) {
        return "a".repeat(length);
    }
}
