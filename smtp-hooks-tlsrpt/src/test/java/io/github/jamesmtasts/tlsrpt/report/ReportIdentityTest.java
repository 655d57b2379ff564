package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8460 5.3: the submitter domain is a host name in A-labels, checked by {@code DomainName} like every other. */
class ReportIdentityTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
            arguments("T 3.1 case and root dot folded", "Sender.Test.", "sender.test"),
            arguments("RFC 8460 4.4 U-labels written as A-labels", "B\u00fccher.example", "xn--bcher-kva.example"),
            arguments("James's default domain: one label is enough for our own name", "localhost", "localhost"),
            arguments("surrounding space of a configuration value", " sender.test ", "sender.test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void submitterDomainShouldBeNormalised(String rule, String configured, String expected) {
        assertThat(ReportIdentity.of("Org", "tlsrpt@sender.test", configured).submitterDomain()).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
            arguments("A 3.4 IPv4 address", "192.0.2.1", "IP address"),
            arguments("A 3.4 address literal", "[192.0.2.1]", "address literal"),
            arguments("A 3.4 one all-numeric label", "1234", "IP address"),
            arguments("T 3.1 label of 64 characters", "a".repeat(64) + ".example", "64 characters long"),
            arguments("T 3.1 underscore", "x_y.example", "'_' is allowed only"),
            arguments("T 3.1 space inside", "b test", "U+0020 is not allowed"),
            arguments("T 3.1 empty label", "a..example", "empty label"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void submitterDomainShouldBeRefusedNamingTheProblem(String rule, String configured, String problem) {
        assertThatThrownBy(() -> ReportIdentity.of("Org", "tlsrpt@sender.test", configured))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("submitterDomain").hasMessageContaining(problem);
    }
}
