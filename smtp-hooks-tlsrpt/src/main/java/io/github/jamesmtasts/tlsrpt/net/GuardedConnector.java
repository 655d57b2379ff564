package io.github.jamesmtasts.tlsrpt.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens TCP connections to hosts named by remote domains (MTA-STS policy hosts, TLS-RPT {@code https:} collectors)
 * with the SSRF guard applied to the very address connected to: the name is resolved once, every address is checked
 * against the {@link AddressGuard}, and the socket connects to a checked {@link InetAddress}. Nothing resolves the
 * name a second time, so a DNS answer that changes between check and connect (rebinding) cannot reach an internal
 * address. TLS on top keeps using the host name (SNI, certificate check): see {@link HttpsExchange}. Thread-safe.
 */
public final class GuardedConnector {

    /** How names are resolved; {@code InetAddress::getAllByName} (the JVM's resolver) in production. */
    @FunctionalInterface
    public interface Resolver {
        /** The JVM's resolver (James's hosts file and system DNS). */
        Resolver JVM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The host resolves to an address the guard refuses; nothing was connected. */
    public static final class RefusedAddressException extends IOException {
        private static final long serialVersionUID = 1L;

        private final String host;
        private final InetAddress address;

        RefusedAddressException(String host, InetAddress address, String reason) {
            super(host + " resolves to " + address.getHostAddress() + ": " + reason);
            this.host = host;
            this.address = address;
        }

        public String host() {
            return host;
        }

        public InetAddress address() {
            return address;
        }
    }

    private final AddressGuard guard;
    private final Resolver resolver;

    public GuardedConnector(AddressGuard guard, Resolver resolver) {
        this.guard = Objects.requireNonNull(guard);
        this.resolver = Objects.requireNonNull(resolver);
    }

    /** The guard with the JVM's resolver. */
    public static GuardedConnector of(AddressGuard guard) {
        return new GuardedConnector(guard, Resolver.JVM);
    }

    /**
     * Resolves {@code host} once and checks every address; one refused address refuses the host (an attacker picks
     * which one a client would use). Then connects to the checked addresses in order until one accepts.
     *
     * @param timeout bounds all connection attempts together (the resolver bounds its own lookups)
     * @throws UnknownHostException when the name does not resolve
     * @throws RefusedAddressException when an address is not permitted
     * @throws IOException when no checked address accepts the connection in time
     */
    public Socket connect(String host, int port, Duration timeout) throws IOException {
        List<InetAddress> addresses = check(host);
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        for (InetAddress address : addresses) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                break;
            }
            Socket socket = new Socket();
            try {
                // The checked address itself: a hostname-based InetSocketAddress would not resolve again either,
                // but a literal leaves no doubt.
                socket.connect(new InetSocketAddress(address, port), (int) Math.min(Integer.MAX_VALUE, remainingMillis));
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last != null ? last : new SocketTimeoutException("connecting to " + host + " took longer than " + timeout);
    }

    /**
     * The one resolution of {@code host} and the guard's verdict on it.
     *
     * @return the addresses to connect to, all permitted
     */
    public List<InetAddress> check(String host) throws IOException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = resolver.resolve(bare);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host + " has no address");
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = guard.refusal(address);
            if (refusal.isPresent()) {
                throw new RefusedAddressException(host, address, refusal.get());
            }
        }
        return List.of(addresses);
    }
}
