package io.github.jamesmtasts.tlsrpt.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestParametersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T23:59:59Z"), ZoneOffset.UTC);

    static Stream<Arguments> acceptedDomains() {
        return Stream.of(
            Arguments.of("M 4.1 lower-cased", "Example.COM", "example.com"),
            Arguments.of("M 4.1 trailing dot ignored", "example.com.", "example.com"),
            Arguments.of("hyphen inside a label", "mx-1.example-mail.test", "mx-1.example-mail.test"),
            Arguments.of("numeric labels before a letter TLD", "123.45.test", "123.45.test"),
            Arguments.of("63-character label", "a".repeat(63) + ".test", "a".repeat(63) + ".test"),
            Arguments.of("U-label converted to its A-label", "bücher.example", "xn--bcher-kva.example"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedDomains")
    void domainShouldBeNormalized(String name, String value, String expected) {
        assertThat(RequestParameters.parseDomain(value)).contains(expected);
    }

    static Stream<Arguments> rejectedDomains() {
        return Stream.of(
            Arguments.of("empty", ""),
            Arguments.of("T 3.1 single label has no policy (tlsrpt.model.DomainName)", "localhost"),
            Arguments.of("only a dot", "."),
            Arguments.of("A 5 IPv4 address literal", "192.0.2.1"),
            Arguments.of("A 5 IPv6 address literal", "[2001:db8::1]"),
            Arguments.of("empty label", "a..test"),
            Arguments.of("leading dot", ".example.com"),
            Arguments.of("underscore", "_mta-sts.example.com"),
            Arguments.of("leading hyphen", "-mx.example.com"),
            Arguments.of("trailing hyphen", "mx-.example.com"),
            Arguments.of("64-character label", "a".repeat(64) + ".test"),
            Arguments.of("254 characters", ("a".repeat(49) + ".").repeat(5) + "test"),
            Arguments.of("M 4.1 wildcard is a pattern, not a domain", "*.example.com"),
            Arguments.of("space", "example .com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedDomains")
    void domainShouldBeRejected(String name, String value) {
        assertThat(RequestParameters.parseDomain(value)).isEmpty();
    }

    static Stream<Arguments> days() {
        return Stream.of(
            Arguments.of("ISO day", "2026-11-22", LocalDate.of(2026, 11, 22)),
            Arguments.of("leap day", "2028-02-29", LocalDate.of(2028, 2, 29)),
            Arguments.of("today in UTC", "today", LocalDate.of(2026, 11, 23)),
            Arguments.of("yesterday in UTC", "yesterday", LocalDate.of(2026, 11, 22)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("days")
    void dayShouldBeParsed(String name, String value, LocalDate expected) {
        assertThat(RequestParameters.parseDay(value, CLOCK)).contains(expected);
    }

    static Stream<Arguments> badDays() {
        return Stream.of(
            Arguments.of("not a leap year", "2026-02-29"),
            Arguments.of("single-digit month", "2026-1-22"),
            Arguments.of("timestamp", "2026-11-22T00:00:00Z"),
            Arguments.of("capitalized keyword", "Today"),
            Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDays")
    void dayShouldBeRejected(String name, String value) {
        assertThat(RequestParameters.parseDay(value, CLOCK)).isEmpty();
    }
}
