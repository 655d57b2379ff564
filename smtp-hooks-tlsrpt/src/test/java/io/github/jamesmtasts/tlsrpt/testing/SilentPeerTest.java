package io.github.jamesmtasts.tlsrpt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

class SilentPeerTest {

    @Test
    void tlsHandshakeWithASilentPeerShouldOnlyEndByTheClientsTimeout() throws Exception {
        try (SilentPeer peer = SilentPeer.start("127.0.0.1", 0);
             SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", peer.port()), 5_000);
            socket.setSoTimeout(200);

            assertThatThrownBy(socket::startHandshake).isInstanceOf(SocketTimeoutException.class);
            assertThat(peer.awaitConnections(1, Duration.ofSeconds(30))).isTrue();
        }
    }
}
