package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AddressGuardTest {

    static Stream<Arguments> publicOnly() {
        return Stream.of(
            Arguments.of("SSRF loopback v4", "127.0.0.1", false),
            Arguments.of("SSRF loopback v6", "::1", false),
            Arguments.of("SSRF RFC 1918 10/8", "10.1.2.3", false),
            Arguments.of("SSRF RFC 1918 172.16/12", "172.31.255.255", false),
            Arguments.of("SSRF RFC 1918 192.168/16", "192.168.0.1", false),
            Arguments.of("SSRF link-local metadata", "169.254.169.254", false),
            Arguments.of("SSRF CGNAT", "100.64.0.1", false),
            Arguments.of("SSRF unspecified", "0.0.0.0", false),
            Arguments.of("SSRF IPv6 ULA", "fd12:3456::1", false),
            Arguments.of("SSRF IPv6 link-local", "fe80::1", false),
            Arguments.of("SSRF v4-mapped loopback", "::ffff:127.0.0.1", false),
            Arguments.of("SSRF public v4", "203.0.113.7", true),
            Arguments.of("SSRF public v6", "2001:db8::1", true),
            Arguments.of("SSRF just outside 172.16/12", "172.32.0.1", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publicOnly")
    void publicOnlyGuardShouldJudgeAddress(String name, String address, boolean permitted) throws Exception {
        assertThat(AddressGuard.allowing(List.of()).refusal(InetAddress.getByName(address)).isEmpty()).isEqualTo(permitted);
    }

    @Test
    void allowListShouldPermitAnOtherwiseRefusedBlock() throws Exception {
        AddressGuard guard = AddressGuard.allowing(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("fd00::/8")));

        assertThat(guard.refusal(InetAddress.getByName("127.0.0.5")).isEmpty()).isTrue();
        assertThat(guard.refusal(InetAddress.getByName("fd00::5")).isEmpty()).isTrue();
        assertThat(guard.refusal(InetAddress.getByName("10.0.0.1"))).get().asString().contains("10.0.0.1");
    }

    @Test
    void cidrShouldMatchOnlyItsBlock() {
        Cidr block = Cidr.parse("192.168.4.0/22");

        assertThat(block.contains(address("192.168.7.255"))).isTrue();
        assertThat(block.contains(address("192.168.8.0"))).isFalse();
        assertThat(block.contains(address("::1"))).isFalse();
        assertThat(block).isEqualTo(Cidr.parse("192.168.5.9/22"));
        assertThat(block.toString()).isEqualTo("192.168.4.0/22");
        assertThat(Cidr.parse("2001:db8::1").contains(address("2001:db8::1"))).isTrue();
    }

    @Test
    void cidrShouldRejectNamesAndBadPrefixes() {
        assertThatThrownBy(() -> Cidr.parse("localhost/8")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("localhost/8");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
