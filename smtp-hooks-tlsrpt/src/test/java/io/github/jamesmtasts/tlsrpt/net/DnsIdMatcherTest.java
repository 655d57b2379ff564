package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.classify.CertificateHostMismatchException;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

class DnsIdMatcherTest {

    static Stream<Arguments> matching() {
        return Stream.of(
            Arguments.of("RFC 6125 6.4.1 exact name", "mx.example.com", "mx.example.com", true),
            Arguments.of("RFC 6125 6.4.1 case-insensitive", "MX.Example.COM", "mx.example.com", true),
            Arguments.of("RFC 6125 6.4.1 trailing dot of the MX name ignored", "mx.example.com", "mx.example.com.", true),
            Arguments.of("RFC 6125 6.4.3 wildcard covers one label", "*.example.com", "mx.example.com", true),
            Arguments.of("RFC 6125 6.4.3 wildcard never covers two labels", "*.example.com", "a.mx.example.com", false),
            Arguments.of("RFC 6125 6.4.3 wildcard never covers the bare domain", "*.example.com", "example.com", false),
            Arguments.of("RFC 6125 6.4.3 partial-label wildcard refused", "m*.example.com", "mx.example.com", false),
            Arguments.of("RFC 6125 6.4.3 wildcard over a single label refused", "*.com", "example.com", false),
            Arguments.of("RFC 6125 6.4.3 wildcard not left-most refused", "mx.*.com", "mx.example.com", false),
            Arguments.of("other name", "mail.example.com", "mx.example.com", false),
            Arguments.of("suffix is not a match", "example.com", "mx.example.com", false),
            Arguments.of("empty id", "", "mx.example.com", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matching")
    void matchesShouldFollowRfc6125(String name, String dnsId, String host, boolean expected) {
        assertThat(DnsIdMatcher.matches(dnsId, host)).isEqualTo(expected);
    }

    @Test
    void requireDnsIdShouldAcceptASanAndRefuseACommonNameOrNoChain() throws Exception {
        TestPki pki = TestPki.create("DnsIdMatcherTest CA");

        assertThatCode(() -> DnsIdMatcher.requireDnsId(pki.issue("mx.example.test").chain(), "mx.example.test"))
            .doesNotThrowAnyException();
        assertThatThrownBy(() -> DnsIdMatcher.requireDnsId(pki.issueCnOnly("mx.example.test").chain(), "mx.example.test"))
            .isInstanceOf(CertificateHostMismatchException.class)
            .hasMessageContaining("mx.example.test").hasMessageContaining("a subject CN does not count");
        assertThatThrownBy(() -> DnsIdMatcher.requireDnsId(new X509Certificate[0], "mx.example.test"))
            .isInstanceOf(CertificateHostMismatchException.class).hasMessageContaining("names: none");
    }
}
