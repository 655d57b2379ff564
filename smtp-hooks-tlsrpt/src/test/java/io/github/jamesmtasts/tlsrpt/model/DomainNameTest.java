package io.github.jamesmtasts.tlsrpt.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.testing.SmallStack;

class DomainNameTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
            arguments("T 3.1 plain domain kept", "example.com", "example.com"),
            arguments("M 4.1 mixed case lower-cased", "Example.COM", "example.com"),
            arguments("M 4.1 root dot dropped", "example.com.", "example.com"),
            arguments("M 4.1 root dot and upper case", "MX.Example.Com.", "mx.example.com"),
            arguments("T 3.1 U-label converted to A-label", "b\u00fccher.example", "xn--bcher-kva.example"),
            arguments("T 3.1 U-label with upper case converted", "B\u00dcCHER.Example", "xn--bcher-kva.example"),
            arguments("T 3.1 U-label with root dot", "b\u00fccher.example.", "xn--bcher-kva.example"),
            arguments("T 3.1 ideographic full stop is a dot", "b\u00fccher\u3002example", "xn--bcher-kva.example"),
            arguments("T 3.1 A-label kept", "xn--bcher-kva.example", "xn--bcher-kva.example"),
            arguments("T 3.1 A-label upper case folded", "XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example"),
            arguments("T 3.1 hyphens inside labels", "mta-sts.my-domain.example", "mta-sts.my-domain.example"),
            arguments("T 3.1 digits in labels", "123.example.com", "123.example.com"),
            arguments("T 3.1 top label with digits and letters", "example.x1", "example.x1"),
            arguments("T 3.1 label of 63 characters", label(63) + ".example", label(63) + ".example"),
            arguments("T 3.1 name of 253 characters", longest(), longest()),
            arguments("T 3.1 name of 253 characters and root dot", longest() + ".", longest()));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            arguments("T 3.1 empty", "", "it is empty"),
            arguments("T 3.1 root only", ".", "empty label"),
            arguments("T 3.1 two root dots", "example.com..", "empty label"),
            arguments("T 3.1 leading dot", ".example.com", "empty label"),
            arguments("T 3.1 empty label inside", "a..example", "empty label"),
            arguments("T 3.1 single label", "localhost", "single label"),
            arguments("T 3.1 single label with root dot", "com.", "single label"),
            arguments("T 3.1 label of 64 characters", label(64) + ".example", "64 characters long"),
            arguments("T 3.1 name of 254 characters", "a" + longest(), "longer than 253"),
            arguments("H2 input longer than 1024 characters", "a.".repeat(600) + "example", "1207 characters long"),
            arguments("T 3.1 label starting with hyphen", "-x.example", "starts or ends with '-'"),
            arguments("T 3.1 label ending with hyphen", "x-.example", "starts or ends with '-'"),
            arguments("A 3.4 IPv4 literal", "192.0.2.1", "IP address"),
            arguments("A 3.4 IPv4 literal with root dot", "192.0.2.1.", "IP address"),
            arguments("A 3.4 bracketed IPv4 literal", "[192.0.2.1]", "address literal"),
            arguments("A 3.4 IPv6 literal", "2001:db8::1", "IPv6 address literal"),
            arguments("A 3.4 bracketed IPv6 literal", "[IPv6:2001:db8::1]", "address literal"),
            arguments("T 3.1 underscore label is no mail domain", "_x.example", "'_' is allowed only"),
            arguments("T 3.1 underscore inside a label", "my_host.example", "'_' is allowed only"),
            arguments("T 3.1 URL characters", "example.com/x?", "'/' is not allowed"),
            arguments("T 3.1 port", "example.com:443", "a port"),
            arguments("T 3.1 user part", "user@example.com", "'@' is not allowed"),
            arguments("T 3.1 URL", "https://example.com/", "a URL"),
            arguments("M 4.1 wildcard is a pattern, not a domain", "*.example.com", "'*' is not allowed"),
            arguments("T 3.1 space", "exa mple.com", "U+0020 is not allowed"),
            arguments("H4 control character named, not printed", "exa\u0000mple.com", "U+0000 is not allowed"),
            arguments("H4 CR LF named, not printed", "example.com\r\nX: y", "U+000D is not allowed"),
            arguments("T 3.1 U-label that IDNA refuses", "a\u2029b.example", "not a valid internationalised"));
    }

    static Stream<Arguments> ownerNames() {
        return Stream.of(
            arguments("T 3.1 _mta-sts owner name", "_mta-sts.Example.com.", Optional.of("_mta-sts.example.com")),
            arguments("RFC 8460 3 _smtp._tls owner name", "_smtp._tls.example.com", Optional.of("_smtp._tls.example.com")),
            arguments("DKIM selector owner name", "s1._domainkey.example.com", Optional.of("s1._domainkey.example.com")),
            arguments("underscore only at a label's start", "_mta_sts.example.com", Optional.empty()),
            arguments("owner names refuse IP literals too", "_x.192.0.2.1", Optional.empty()),
            arguments("owner names refuse empty labels", "_mta-sts..example.com", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void parseShouldYieldLowerCaseALabelsWithoutRootDot(String rule, String input, String expected) {
        DomainName.Parsed parsed = DomainName.parse(input);

        assertThat(parsed.problem()).isEmpty();
        assertThat(parsed.name().map(DomainName::asString)).contains(expected);
        assertThat(DomainName.of(expected)).isEqualTo(parsed.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void parseShouldNameTheInputAndWhatIsWrong(String rule, String input, String problem) {
        DomainName.Parsed parsed = DomainName.parse(input);

        assertThat(parsed.name()).isEmpty();
        assertThat(parsed.problem()).hasValueSatisfying(text -> {
            assertThat(text).contains(problem).matches("'[\\x20-\\x7E]*' is not a domain name: [\\x20-\\x7E]+");
            assertThat(text.length()).isLessThan(400);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownerNames")
    void parseOwnerNameShouldAlsoAcceptUnderscoredLabels(String rule, String input, Optional<String> expected) {
        assertThat(DomainName.parseOwnerName(input).name().map(DomainName::asString)).isEqualTo(expected);
    }

    @Test
    void prefixedShouldBuildOwnerNamesWithinTheDnsLimit() {
        DomainName domain = DomainName.of("Example.COM").orElseThrow();
        DomainName longest = DomainName.of(label(63) + "." + label(63) + "." + label(63) + "." + label(53)).orElseThrow();

        assertThat(domain.prefixed("_mta-sts").map(DomainName::asString)).contains("_mta-sts.example.com");
        assertThat(domain.prefixed("_smtp._tls").map(DomainName::asString)).contains("_smtp._tls.example.com");
        assertThat(domain.prefixed("mta-sts").map(DomainName::asString)).contains("mta-sts.example.com");
        assertThat(longest.prefixed("mta-sts")).isPresent();
        assertThat(longest.prefixed("_mta-sts")).isEmpty();
    }

    static Stream<Arguments> keys() {
        return Stream.of(
            arguments("a domain name is its own key", "example.com", "example.com"),
            arguments("M 4.1 case and root dot folded", "Example.COM.", "example.com"),
            arguments("RFC 8460 4.4 U-labels keyed in A-labels", "B\u00fccher.Example", "xn--bcher-kva.example"),
            arguments("no domain name: lower case without root dot", "LocalHost.", "localhost"),
            arguments("no domain name: IP literal folded the same way", "192.0.2.1.", "192.0.2.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void keyOfShouldFoldEveryNameTheSameWay(String rule, String input, String expected) {
        assertThat(DomainName.keyOf(input)).isEqualTo(expected);
    }

    static Stream<Arguments> hostNames() {
        return Stream.of(
            arguments("our own single-label host name", "LocalHost.", Optional.of("localhost")),
            arguments("two labels as parse gives them", "Sender.Test", Optional.of("sender.test")),
            arguments("A 3.4 one all-numeric label is an address", "1234", Optional.empty()),
            arguments("A 3.4 an IPv4 address stays refused", "192.0.2.1", Optional.empty()),
            arguments("T 3.1 underscore stays refused", "x_y", Optional.empty()),
            arguments("T 3.1 label of 64 characters stays refused", label(64), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostNames")
    void parseHostNameShouldAlsoAcceptOneLabel(String rule, String input, Optional<String> expected) {
        assertThat(DomainName.parseHostName(input).name().map(DomainName::asString)).isEqualTo(expected);
    }

    @Test
    void equalNamesShouldBeEqualWhateverTheirInputForm() {
        assertThat(DomainName.of("B\u00fccher.Example.")).isEqualTo(DomainName.of("xn--bcher-kva.example"));
        assertThat(DomainName.of("Example.com").hashCode()).isEqualTo(DomainName.of("example.com.").hashCode());
        assertThat(DomainName.of("example.com")).isNotEqualTo(DomainName.of("example.org"));
        assertThat(DomainName.of("example.com").orElseThrow()).hasToString("example.com");
    }

    @Test
    void orElseThrowShouldHandTheProblemToTheCaller() {
        assertThatThrownBy(() -> DomainName.parse("192.0.2.1").orElseThrow(IllegalArgumentException::new))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("'192.0.2.1' is not a domain name: it is an IP address");
    }

    @Test
    void hugeInputShouldBeRefusedOnASmallStack() {
        assertThat(SmallStack.call(() -> DomainName.of("a.".repeat(30_000) + "example"))).isEmpty();
        assertThat(SmallStack.call(() -> DomainName.of("\u00fc.".repeat(500) + "example"))).isEmpty();
    }

    private static String label(int length) {
        return "a".repeat(length);
    }

    /** 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters. */
    private static String longest() {
        return label(63) + "." + label(63) + "." + label(63) + "." + label(61);
    }
}
