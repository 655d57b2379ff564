package io.github.jamesmtasts.tlsrpt.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server for tests, over UDP and TCP on one loopback address, answering from zones held in
 * memory that tests change while it runs (A, AAAA, MX, multi-string TXT, CNAME, TLSA; SERVFAIL or silence per name;
 * NXDOMAIN for unknown names; REFUSED outside the configured zones).
 *
 * <p>DNSSEC: zones added with {@link #signedZone(String)} are signed on the fly (ECDSA P-256, algorithm 13; a KSK and
 * a ZSK per zone, generated at start) for queries with the DO bit, with NSEC denial of existence; a zone below
 * another one of this server is delegated from it (DS when the child is signed; a provably insecure delegation when
 * the child was added with {@link #zone(String)}). The topmost signed zones are the trust anchors: a private test
 * root ({@code signedZone(".")}) or a test TLD chain. {@link #trustAnchorText()} exports them for a validator.
 * {@link #bogus(String)} and {@link #expiredSignatures(String)} break the signatures of one name's answers.
 *
 * <p>Why a real server: James's {@code DNSJavaService} only takes server addresses, always on port 53, so the
 * end-to-end tests run this on 127.0.0.x:53 (root needed; CI runs as root). Unit tests can use any port with
 * dnsjava's {@code SimpleResolver}. Records are served with TTL 0 by default, so resolvers do not cache them and
 * changes made by a test are seen at once.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    private static final int PLAIN_UDP_LIMIT = 512;
    private static final int MAX_UDP_PAYLOAD = 4096;

    private final DnsZones zones = new DnsZones();
    private final List<String> queries = new ArrayList<>();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService threads;
    private final Set<Socket> tcpConnections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private LoopbackDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        // one UDP loop, one TCP acceptor, up to four TCP connections at once
        this.threads = Executors.newFixedThreadPool(6, runnable -> {
            Thread thread = new Thread(runnable, "test-dns-" + udp.getLocalAddress().getHostAddress() + ":" + udp.getLocalPort());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Binds UDP and TCP on {@code loopbackAddress:port} (port 0: a free port, the same for both protocols).
     *
     * @throws UncheckedIOException naming the address and the root requirement when the port cannot be bound
     */
    public static LoopbackDnsServer start(String loopbackAddress, int port) {
        InetAddress address = loopback(loopbackAddress);
        DatagramSocket udp = null;
        try {
            udp = new DatagramSocket(null);
            udp.setReuseAddress(true);
            udp.bind(new InetSocketAddress(address, port));
            ServerSocket tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, udp.getLocalPort()), 50);
            LoopbackDnsServer server = new LoopbackDnsServer(udp, tcp);
            server.threads.execute(server::udpLoop);
            server.threads.execute(server::tcpLoop);
            return server;
        } catch (IOException e) {
            if (udp != null) {
                udp.close();
            }
            throw new UncheckedIOException("cannot bind the test DNS server to " + loopbackAddress + ":" + port
                    + (port > 0 && port < 1024 ? " (binding a port below 1024 needs root; James's DNS client only"
                    + " talks to port 53, so the end-to-end tests must run as root, as CI does)" : ""), e);
        }
    }

    public InetAddress address() {
        return udp.getLocalAddress();
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** Makes this server authoritative for {@code apex} and every name below it. */
    public LoopbackDnsServer zone(String apex) {
        zones.addZone(name(apex));
        return this;
    }

    /**
     * Makes this server authoritative for {@code apex} and signs the zone (DNSSEC); its parent zone on this server, if
     * any, publishes its DS record. Add parents before children or after: delegations are computed per query.
     */
    public LoopbackDnsServer signedZone(String apex) {
        zones.addSignedZone(name(apex));
        return this;
    }

    /**
     * The DS records (SHA-256) of the KSKs of the topmost signed zones, one per line in zone-file syntax: a trust
     * anchor file for dnsjava's {@code ValidatingResolver} (and for {@code dane.trustAnchors}).
     *
     * @throws IllegalStateException when no zone is signed
     */
    public String trustAnchorText() {
        return zones.trustAnchors(false);
    }

    /** Like {@link #trustAnchorText()}, but the KSK DNSKEY records themselves. */
    public String trustAnchorDnskeyText() {
        return zones.trustAnchors(true);
    }

    /** Writes {@link #trustAnchorText()} to {@code file} and returns it. */
    public Path writeTrustAnchor(Path file) {
        try {
            Files.write(file, trustAnchorText().getBytes(StandardCharsets.US_ASCII));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test trust anchor to " + file, e);
        }
    }

    /** The clock whose "now" signatures are valid around (default: the system clock); for tests that move time. */
    public LoopbackDnsServer signatureClock(Clock clock) {
        zones.signatureClock(clock);
        return this;
    }

    /** TTL for records added afterwards and for negative answers (default 0: never cached). */
    public LoopbackDnsServer ttl(Duration ttl) {
        zones.ttl(ttl.getSeconds());
        return this;
    }

    public LoopbackDnsServer a(String name, String ipv4) {
        return add(new ARecord(name(name), DClass.IN, zones.ttl(), address(ipv4, Address.IPv4)));
    }

    public LoopbackDnsServer aaaa(String name, String ipv6) {
        return add(new AAAARecord(name(name), DClass.IN, zones.ttl(), address(ipv6, Address.IPv6)));
    }

    public LoopbackDnsServer mx(String name, int preference, String host) {
        return add(new MXRecord(name(name), DClass.IN, zones.ttl(), preference, name(host)));
    }

    /** One TXT record made of these character-strings (each at most 255 bytes), e.g. a long record split in two. */
    public LoopbackDnsServer txt(String name, String... strings) {
        return add(new TXTRecord(name(name), DClass.IN, zones.ttl(), Arrays.asList(strings)));
    }

    /** One TLSA record (RFC 6698), e.g. {@code tlsa("_25._tcp.mx.example.test", 3, 1, 1, sha256OfSpki)}. */
    public LoopbackDnsServer tlsa(String name, int usage, int selector, int matchingType, byte[] data) {
        return add(new TLSARecord(name(name), DClass.IN, zones.ttl(), usage, selector, matchingType, data));
    }

    public LoopbackDnsServer cname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, zones.ttl(), name(target)));
    }

    /** Removes every record of {@code type} (e.g. "TXT") owned by {@code name}. */
    public LoopbackDnsServer remove(String name, String type) {
        int value = Type.value(type);
        if (value < 0) {
            throw new IllegalArgumentException("unknown DNS type " + type);
        }
        zones.remove(name(name), value);
        return this;
    }

    /** From now on every query for exactly {@code name} (any type) is answered SERVFAIL. */
    public LoopbackDnsServer servfail(String name) {
        zones.servfail(name(name), true);
        return this;
    }

    public LoopbackDnsServer stopServfail(String name) {
        zones.servfail(name(name), false);
        return this;
    }

    /** From now on queries for exactly {@code name} get no answer at all (a client times out). */
    public LoopbackDnsServer silent(String name) {
        zones.silent(name(name), true);
        return this;
    }

    public LoopbackDnsServer stopSilent(String name) {
        zones.silent(name(name), false);
        return this;
    }

    /**
     * From now on the signatures in answers for {@code name} (its records, or the denial of them) are corrupted: a
     * validator finds them bogus. The zone's keys (DNSKEY) and delegation (DS) stay intact.
     */
    public LoopbackDnsServer bogus(String name) {
        zones.bogus(name(name), true);
        return this;
    }

    public LoopbackDnsServer stopBogus(String name) {
        zones.bogus(name(name), false);
        return this;
    }

    /** From now on answers for {@code name} are signed with signatures that expired a week ago (bogus, too). */
    public LoopbackDnsServer expiredSignatures(String name) {
        zones.expired(name(name), true);
        return this;
    }

    /** Questions received so far, as "name. TYPE" (e.g. "_mta-sts.example.test. TXT"), in arrival order. */
    public List<String> queries() {
        synchronized (queries) {
            return List.copyOf(queries);
        }
    }

    private LoopbackDnsServer add(org.xbill.DNS.Record record) {
        zones.add(record);
        return this;
    }

    private void udpLoop() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = respond(query);
                if (response == null) {
                    continue; // a silent name
                }
                OPTRecord opt = query.getOPT();
                int limit = opt == null ? PLAIN_UDP_LIMIT : Math.max(PLAIN_UDP_LIMIT, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD));
                if (opt != null) {
                    // RFC 3225 3: the DO bit is copied into the response
                    response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, 0, 0, opt.getFlags() & ExtendedFlags.DO),
                            Section.ADDITIONAL);
                }
                // RFC 1035 4.2.1 / RFC 6891: too big for UDP -> truncated with TC set, the client retries over TCP
                byte[] wire = response.toWire(limit);
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // an unparseable datagram: ignore it, as a real server would
            }
        }
    }

    private void tcpLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                return; // closed
            }
            tcpConnections.add(socket);
            threads.execute(() -> serveTcp(socket));
        }
    }

    private void serveTcp(Socket socket) {
        try (Socket connection = socket) {
            connection.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (true) {
                byte[] request = new byte[in.readUnsignedShort()];
                in.readFully(request);
                Message response = respond(new Message(request));
                if (response == null) {
                    continue; // a silent name
                }
                byte[] wire = response.toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (EOFException e) {
            // client closed the connection after its queries
        } catch (IOException e) {
            // timeout, reset or server closed: nothing to answer
        } finally {
            tcpConnections.remove(socket);
        }
    }

    /** @return the response, or null for a question about a silent name */
    private Message respond(Message query) {
        org.xbill.DNS.Record question = query.getQuestion();
        if (question == null) {
            Message error = new Message(query.getHeader().getID());
            error.getHeader().setRcode(Rcode.FORMERR);
            return error;
        }
        synchronized (queries) {
            queries.add(question.getName() + " " + Type.string(question.getType()));
        }
        if (zones.silent(question.getName())) {
            return null;
        }
        try {
            return zones.answer(query);
        } catch (RuntimeException e) {
            // A bug in the test server must show up as a failing lookup, not as a dead server thread.
            e.printStackTrace();
            Message failure = new Message(query.getHeader().getID());
            failure.getHeader().setRcode(Rcode.SERVFAIL);
            return failure;
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket connection : tcpConnections) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LoopbackDnsServer{" + address().getHostAddress() + ":" + port() + "}";
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }

    private static InetAddress address(String literal, int family) {
        try {
            return Address.getByAddress(literal, family);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv" + (family == Address.IPv4 ? "4" : "6") + " literal: " + literal, e);
        }
    }

    private static InetAddress loopback(String literal) {
        InetAddress address = address(literal, Address.IPv4);
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("the test DNS server must bind a loopback address, not " + literal);
        }
        return address;
    }
}
