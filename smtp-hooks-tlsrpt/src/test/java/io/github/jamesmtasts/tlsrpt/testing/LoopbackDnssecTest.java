package io.github.jamesmtasts.tlsrpt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The DNSSEC side of {@link LoopbackDnsServer}, checked with the validator James's class path has (dnsjava's
 * {@code ValidatingResolver}): a private signed root, a signed TLD and child, an insecure child, bogus and expired
 * signatures, SERVFAIL, and secure denials of existence (NXDOMAIN, NODATA, an empty non-terminal).
 */
class LoopbackDnssecTest {
    private static final String DNS_IP = "127.0.0.23";
    private static final byte[] DIGEST = new byte[32];

    private static LoopbackDnsServer dns;
    private static ValidatingResolver validator;

    @BeforeAll
    static void start() throws Exception {
        dns = LoopbackDnsServer.start(DNS_IP, 0).signedZone(".").signedZone("test").signedZone("example.test")
            .zone("insecure.test");
        dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.31")
            .tlsa("_25._tcp.mx.example.test", 3, 1, 1, DIGEST)
            .tlsa("_25._tcp.bad.example.test", 3, 1, 1, DIGEST).bogus("_25._tcp.bad.example.test")
            .tlsa("_25._tcp.old.example.test", 3, 1, 1, DIGEST).expiredSignatures("_25._tcp.old.example.test")
            .tlsa("_25._tcp.broken.example.test", 3, 1, 1, DIGEST).servfail("_25._tcp.broken.example.test")
            .bogus("_25._tcp.denied.example.test")
            .cname("alias.example.test", "mx.example.test")
            .mx("insecure.test", 10, "mx.insecure.test").a("mx.insecure.test", "127.0.0.32")
            .tlsa("_25._tcp.mx.insecure.test", 3, 1, 1, DIGEST);
        SimpleResolver upstream = new SimpleResolver(DNS_IP);
        upstream.setPort(dns.port());
        upstream.setTimeout(Duration.ofSeconds(5));
        validator = new ValidatingResolver(upstream);
        validator.loadTrustAnchors(new ByteArrayInputStream(dns.trustAnchorText().getBytes(StandardCharsets.US_ASCII)));
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    static Stream<Arguments> answers() {
        return Stream.of(
            Arguments.of("example.test", "MX", "SECURE NOERROR 1"),
            Arguments.of("mx.example.test", "A", "SECURE NOERROR 1"),
            Arguments.of("_25._tcp.mx.example.test", "TLSA", "SECURE NOERROR 1"),
            Arguments.of("alias.example.test", "A", "SECURE NOERROR 2"),
            // secure denials: NODATA, NXDOMAIN, an empty non-terminal, a missing TLD at the root
            Arguments.of("mx.example.test", "AAAA", "SECURE NOERROR 0"),
            Arguments.of("_25._tcp.nothing.example.test", "TLSA", "SECURE NXDOMAIN 0"),
            Arguments.of("_tcp.mx.example.test", "TLSA", "SECURE NOERROR 0"),
            Arguments.of("nothing.invalid", "MX", "SECURE NXDOMAIN 0"),
            Arguments.of("example.test", "TLSA", "SECURE NOERROR 0"),
            // provably unsigned child zone: insecure, data and denials alike
            Arguments.of("insecure.test", "MX", "INSECURE NOERROR 1"),
            Arguments.of("_25._tcp.mx.insecure.test", "TLSA", "INSECURE NOERROR 1"),
            Arguments.of("_25._tcp.nothing.insecure.test", "TLSA", "INSECURE NXDOMAIN 0"),
            // broken signatures and failures
            Arguments.of("_25._tcp.bad.example.test", "TLSA", "BOGUS SERVFAIL 0"),
            Arguments.of("_25._tcp.old.example.test", "TLSA", "BOGUS SERVFAIL 0"),
            Arguments.of("_25._tcp.denied.example.test", "TLSA", "BOGUS SERVFAIL 0"),
            // dnsjava reports the server's SERVFAIL as bogus too ("response subtype is UNKNOWN")
            Arguments.of("_25._tcp.broken.example.test", "TLSA", "BOGUS SERVFAIL 0"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("answers")
    void theValidatorShouldSeeWhatTheZonesSay(String name, String type, String expected) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.value(type), 1));
        Message answer = validator.send(query);
        long records = answer.getSection(Section.ANSWER).stream().filter(r -> r.getType() != Type.RRSIG).count();
        assertThat(status(answer) + " " + Rcode.string(answer.getRcode()) + " " + records).isEqualTo(expected);
    }

    @Test
    void withoutTheDoBitAnswersShouldCarryNoSignatures() throws Exception {
        SimpleResolver plain = new SimpleResolver(DNS_IP);
        plain.setPort(dns.port());
        Message answer = plain.send(Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.MX, 1)));
        assertThat(answer.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.MX);
    }

    @Test
    void theTrustAnchorShouldBeTheRootKskInZoneFileSyntax() throws Exception {
        List<Record> anchors = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(dns.trustAnchorText().getBytes(StandardCharsets.US_ASCII)))) {
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                anchors.add(record);
            }
        }
        assertThat(anchors).hasSize(1);
        DSRecord ds = (DSRecord) anchors.get(0);
        assertThat(ds.getName()).isEqualTo(Name.root);
        assertThat(ds.getAlgorithm()).isEqualTo(DNSSEC.Algorithm.ECDSAP256SHA256);
        assertThat(ds.getDigestID()).isEqualTo(DNSSEC.Digest.SHA256);
        assertThat(dns.trustAnchorDnskeyText()).contains("DNSKEY\t257 3 13 ");
    }

    @Test
    void aValidatorWithAnotherAnchorShouldFindEverythingBogus() throws Exception {
        try (LoopbackDnsServer other = LoopbackDnsServer.start(DNS_IP, 0).signedZone(".")) {
            SimpleResolver upstream = new SimpleResolver(DNS_IP);
            upstream.setPort(dns.port());
            ValidatingResolver wrong = new ValidatingResolver(upstream);
            wrong.loadTrustAnchors(new ByteArrayInputStream(other.trustAnchorText().getBytes(StandardCharsets.US_ASCII)));
            Message answer = wrong.send(Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.MX, 1)));
            assertThat(status(answer)).isEqualTo("BOGUS");
        }
    }

    @Test
    void aServerWithoutSignedZonesHasNoTrustAnchor() {
        try (LoopbackDnsServer plain = LoopbackDnsServer.start(DNS_IP, 0).zone("example.test")) {
            assertThatThrownBy(plain::trustAnchorText).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("signedZone");
        }
    }

    /** What dnsjava's validator concluded: AD bit = secure; SERVFAIL with an extended error = bogus. */
    private static String status(Message answer) {
        if (answer.getHeader().getFlag(Flags.AD)) {
            return "SECURE";
        }
        if (answer.getRcode() == Rcode.SERVFAIL) {
            boolean explained = answer.getOPT() != null && !answer.getOPT().getOptions().isEmpty();
            return explained ? "BOGUS" : "FAILED";
        }
        return "INSECURE";
    }
}
