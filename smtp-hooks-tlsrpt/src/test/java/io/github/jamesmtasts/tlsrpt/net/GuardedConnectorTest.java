package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuardedConnectorTest {

    private static final AddressGuard PUBLIC_ONLY = AddressGuard.allowing(List.of());
    private static final AddressGuard LOOPBACK_1 = AddressGuard.allowing(List.of(Cidr.parse("127.0.0.1/32")));

    static Stream<Arguments> verdicts() {
        return Stream.of(
            arguments("public address permitted", PUBLIC_ONLY, List.of("192.0.2.1"), null),
            arguments("every public address permitted", PUBLIC_ONLY, List.of("192.0.2.1", "2001:db8::1"), null),
            arguments("SSRF loopback refused", PUBLIC_ONLY, List.of("127.0.0.1"), "127.0.0.1"),
            arguments("SSRF one private address among public ones refuses the host", PUBLIC_ONLY,
                List.of("192.0.2.1", "10.1.2.3"), "10.1.2.3"),
            arguments("SSRF IPv4-mapped loopback refused", PUBLIC_ONLY, List.of("::ffff:127.0.0.1"), "127.0.0.1"),
            arguments("SSRF link-local metadata refused", PUBLIC_ONLY, List.of("169.254.169.254"), "169.254.169.254"),
            arguments("allow-listed block permitted", LOOPBACK_1, List.of("127.0.0.1"), null),
            arguments("outside the allow-listed block refused", LOOPBACK_1, List.of("127.0.0.1", "127.0.0.2"), "127.0.0.2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void checkShouldPermitOnlyWhenEveryAddressIsPermitted(String rule, AddressGuard guard, List<String> answer,
                                                          String refused) throws Exception {
        GuardedConnector connector = new GuardedConnector(guard, host -> addresses(answer));

        if (refused == null) {
            assertThat(connector.check("host.test")).containsExactly(addresses(answer));
        } else {
            assertThatThrownBy(() -> connector.check("host.test"))
                .isInstanceOf(GuardedConnector.RefusedAddressException.class)
                .hasMessageContaining("host.test resolves to " + refused)
                .satisfies(e -> assertThat(((GuardedConnector.RefusedAddressException) e).host()).isEqualTo("host.test"));
        }
    }

    @Test
    void checkShouldFailWhenTheNameHasNoAddress() {
        assertThatThrownBy(() -> new GuardedConnector(PUBLIC_ONLY, host -> new InetAddress[0]).check("host.test"))
            .isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> new GuardedConnector(PUBLIC_ONLY, host -> {
            throw new UnknownHostException(host);
        }).check("host.test")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void connectShouldResolveOnceAndConnectToTheCheckedAddress() throws Exception {
        // DNS rebinding: the first answer is 127.0.0.1 (allowed), every later one 127.0.0.2 (not allowed).
        AtomicInteger lookups = new AtomicInteger();
        GuardedConnector connector = new GuardedConnector(LOOPBACK_1,
            host -> addresses(List.of(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2")));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket socket = connector.connect("rebind.test", server.getLocalPort(), Duration.ofSeconds(10))) {

            assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(lookups).hasValue(1);
        }
    }

    @Test
    void connectShouldTryTheNextCheckedAddressWhenOneRefusesTheConnection() throws Exception {
        GuardedConnector connector = new GuardedConnector(AddressGuard.allowing(List.of(Cidr.parse("127.0.0.0/8"))),
            host -> addresses(List.of("127.0.0.3", "127.0.0.1")));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket socket = connector.connect("two.test", server.getLocalPort(), Duration.ofSeconds(10))) {

            assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        }
    }

    @Test
    void connectShouldNotConnectWhenRefused() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(200);
            GuardedConnector connector = new GuardedConnector(PUBLIC_ONLY, host -> addresses(List.of("127.0.0.1")));

            assertThatThrownBy(() -> connector.connect("inside.test", server.getLocalPort(), Duration.ofSeconds(10)))
                .isInstanceOf(GuardedConnector.RefusedAddressException.class);
            assertThatThrownBy(server::accept).isInstanceOf(IOException.class);
        }
    }

    private static InetAddress[] addresses(List<String> literals) throws UnknownHostException {
        InetAddress[] addresses = new InetAddress[literals.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = InetAddress.getByName(literals.get(i));
        }
        return addresses;
    }
}
