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
import io.github.jamesmtasts.tlsrpt.model.DomainName;
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
            Arguments.of("empty id", "", "mx.example.com", false),
            Arguments.of("RFC 6125 6.4.1 root dot of the id ignored", "mx.example.com.", "mx.example.com", true),
            Arguments.of("RFC 6125 6.4.1 wildcard id in upper case with root dot", "*.EXAMPLE.com.", "mx.example.com", true),
            Arguments.of("RFC 6125 6.4.2 A-label id matches the host given in U-labels", "mx.xn--bcher-kva.example",
                "MX.B\u00fccher.example.", true),
            Arguments.of("RFC 5280 4.2.1.6 a U-label id is malformed, never converted", "mx.b\u00fccher.example",
                "mx.xn--bcher-kva.example", false),
            Arguments.of("RFC 6125 6.4.1 an id with surrounding space is malformed", " mx.example.com", "mx.example.com",
                false),
            Arguments.of("RFC 6125 6.4.1 an id with a NUL is malformed", "mx.example.com\u0000.evil.test",
                "mx.example.com", false),
            Arguments.of("RFC 6125 6.4.1 an id with an over-long label never matches", "a".repeat(64) + ".example.com",
                "a".repeat(63) + ".example.com", false),
            Arguments.of("RFC 6125 6.4.3 wildcard over an IP-like suffix never matches", "*.0.2.1", "mx.example.com",
                false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matching")
    void matchesShouldFollowRfc6125(String name, String dnsId, String host, boolean expected) {
        assertThat(DnsIdMatcher.matches(dnsId, DomainName.of(host).orElseThrow())).isEqualTo(expected);
    }

    static Stream<Arguments> noHostNames() {
        return Stream.of(
            Arguments.of("A 3.4 IPv4 address", "192.0.2.1", "IP address"),
            Arguments.of("A 3.4 address literal", "[192.0.2.1]", "address literal"),
            Arguments.of("A 3.4 IPv6 address", "::1", "':' is not allowed"),
            Arguments.of("T 3.1 single label", "localhost", "single label"),
            Arguments.of("T 3.1 over-long label", "a".repeat(64) + ".example.test", "64 characters long"));
    }

    /** A certificate naming the very text of a host that is no domain name still never matches it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("noHostNames")
    void requireDnsIdShouldRefuseAHostThatIsNoDomainName(String rule, String host, String problem) {
        TestPki pki = TestPki.create("DnsIdMatcherTest CA");
        X509Certificate[] chain = pki.issue("mx.example.test").chain();

        assertThatThrownBy(() -> DnsIdMatcher.requireDnsId(chain, host))
            .isInstanceOf(CertificateHostMismatchException.class)
            .hasMessageContaining("is not a domain name").hasMessageContaining(problem);
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
