package io.github.jamesmtasts.tlsrpt.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportPolicyTest {

    static Stream<Arguments> policyDomains() {
        return Stream.of(
            arguments("RFC 8460 4.4 policy-domain kept", "example.com", "example.com"),
            arguments("RFC 8460 4.4 lower case, no root dot", "Example.COM.", "example.com"),
            arguments("RFC 8460 4.4 policy-domain in A-labels", "B\u00fccher.Example.", "xn--bcher-kva.example"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policyDomains")
    void policyDomainShouldBeTheDomainNameText(String rule, String domain, String expected) {
        assertThat(ReportPolicy.noPolicyFound(domain).policyDomain()).isEqualTo(expected);
        assertThat(ReportPolicy.sts(domain, List.of("version: STSv1"), List.of("mx.example.com")).policyDomain())
            .isEqualTo(expected);
    }

    @Test
    void emptyPolicyDomainShouldBeRefused() {
        assertThatThrownBy(() -> ReportPolicy.noPolicyFound("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReportPolicy.noPolicyFound(".")).isInstanceOf(IllegalArgumentException.class);
    }
}
