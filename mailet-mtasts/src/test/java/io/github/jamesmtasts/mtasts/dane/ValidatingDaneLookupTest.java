package io.github.jamesmtasts.mtasts.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/**
 * RFC 7672 2.2 against a DNSSEC-signed loopback zone tree (a private signed root, signed {@code test.} and
 * {@code example.test.}, an unsigned {@code insecure.test.}) validated by dnsjava's validator.
 */
class ValidatingDaneLookupTest {
    private static final String DNS_IP = "127.0.0.24";
    private static final Instant NOW = Instant.now();
    private static final byte[] SHA256_A = filled(32, 0xa1);
    private static final byte[] SHA256_B = filled(32, 0xb2);
    private static final byte[] SHA512 = filled(64, 0xc3);

    private static LoopbackDnsServer dns;
    private static SettableClock clock;

    @BeforeAll
    static void zones() {
        clock = new SettableClock(NOW);
        dns = LoopbackDnsServer.start(DNS_IP, 0).signatureClock(clock)
            .signedZone(".").signedZone("test").signedZone("example.test").zone("insecure.test");
        host("ee.example.test").tlsa("_25._tcp.mx.ee.example.test", 3, 1, 1, SHA256_A);
        // a rollover: the next key's record is published beside the current one, and a DANE-TA record
        host("rollover.example.test").tlsa("_25._tcp.mx.rollover.example.test", 3, 1, 1, SHA256_A)
            .tlsa("_25._tcp.mx.rollover.example.test", 3, 1, 1, SHA256_B)
            .tlsa("_25._tcp.mx.rollover.example.test", 2, 0, 2, SHA512);
        host("notlsa.example.test");
        host("pkix.example.test").tlsa("_25._tcp.mx.pkix.example.test", 1, 1, 1, SHA256_A);
        host("bogustlsa.example.test").tlsa("_25._tcp.mx.bogustlsa.example.test", 3, 1, 1, SHA256_A)
            .bogus("_25._tcp.mx.bogustlsa.example.test");
        host("expiredtlsa.example.test").tlsa("_25._tcp.mx.expiredtlsa.example.test", 3, 1, 1, SHA256_A)
            .expiredSignatures("_25._tcp.mx.expiredtlsa.example.test");
        host("bogusdenial.example.test").bogus("_25._tcp.mx.bogusdenial.example.test");
        host("servfailtlsa.example.test").tlsa("_25._tcp.mx.servfailtlsa.example.test", 3, 1, 1, SHA256_A)
            .servfail("_25._tcp.mx.servfailtlsa.example.test");
        host("bogusaddress.example.test").tlsa("_25._tcp.mx.bogusaddress.example.test", 3, 1, 1, SHA256_A)
            .bogus("mx.bogusaddress.example.test");
        host("bogusmx.example.test").tlsa("_25._tcp.mx.bogusmx.example.test", 3, 1, 1, SHA256_A)
            .bogus("bogusmx.example.test");
        host("servfailmx.example.test").servfail("servfailmx.example.test");
        // insecure: the MX RRset itself, or a secure MX RRset naming a host in an unsigned zone; TLSA present in both
        dns.mx("insecure.test", 10, "mx.insecure.test").a("mx.insecure.test", "127.0.0.32")
            .tlsa("_25._tcp.mx.insecure.test", 3, 1, 1, SHA256_A);
        dns.mx("insecurehost.example.test", 10, "mx.insecure.test");
        // no MX: the domain is its own (implicit) MX
        dns.a("implicit.example.test", "127.0.0.33").tlsa("_25._tcp.implicit.example.test", 3, 1, 1, SHA256_A);
        dns.mx("nullmx.example.test", 0, ".");
        dns.mx("noaddress.example.test", 10, "mx.noaddress.example.test").txt("mx.noaddress.example.test", "x");
        // CNAME'd MX hosts (RFC 7672 2.2.3): TLSA at the expanded name, or at the MX host name when there are none
        dns.mx("cname.example.test", 10, "alias.cname.example.test").cname("alias.cname.example.test",
            "real.cname.example.test").a("real.cname.example.test", "127.0.0.34")
            .tlsa("_25._tcp.real.cname.example.test", 3, 1, 1, SHA256_B)
            .tlsa("_25._tcp.alias.cname.example.test", 3, 1, 1, SHA256_A);
        dns.mx("cnamefallback.example.test", 10, "alias.cnamefallback.example.test")
            .cname("alias.cnamefallback.example.test", "real.cnamefallback.example.test")
            .a("real.cnamefallback.example.test", "127.0.0.35")
            .tlsa("_25._tcp.alias.cnamefallback.example.test", 3, 1, 1, SHA256_A);
        dns.mx("cnameinsecure.example.test", 10, "alias.cnameinsecure.example.test")
            .cname("alias.cnameinsecure.example.test", "mx.insecure.test")
            .tlsa("_25._tcp.alias.cnameinsecure.example.test", 3, 1, 1, SHA256_A);
        // two hosts, preference order differs from insertion order; one of them without TLSA
        dns.mx("two.example.test", 20, "mx.notlsa.example.test").mx("two.example.test", 10, "mx.ee.example.test");
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    static Stream<Arguments> domains() {
        return Stream.of(
            Arguments.of("2.2.3 secure DANE-EE record: authenticate", "ee.example.test",
                "SECURE mx.ee.example.test=AUTHENTICATE[3 1 1 a1a1]"),
            Arguments.of("2.2.3 rollover, two DANE-EE records and a DANE-TA record: all kept", "rollover.example.test",
                "SECURE mx.rollover.example.test=AUTHENTICATE[3 1 1 b2b2, 3 1 1 a1a1, 2 0 2 c3c3]"),
            Arguments.of("2.2.3 secure denial of TLSA: not applicable", "notlsa.example.test",
                "SECURE mx.notlsa.example.test=NOT_APPLICABLE"),
            Arguments.of("3.1.3 only PKIX-EE records: encrypt only", "pkix.example.test",
                "SECURE mx.pkix.example.test=ENCRYPT_ONLY[1 1 1 a1a1]"),
            Arguments.of("2.2.1 hosts in preference order, each with its own state", "two.example.test",
                "SECURE mx.ee.example.test=AUTHENTICATE[3 1 1 a1a1] mx.notlsa.example.test=NOT_APPLICABLE"),
            Arguments.of("2.2.1 no MX records: the domain is its own MX", "implicit.example.test",
                "SECURE implicit.example.test=AUTHENTICATE[3 1 1 a1a1]"),
            Arguments.of("2.2.3 CNAME'd host: TLSA at the expanded name", "cname.example.test",
                "SECURE alias.cname.example.test=AUTHENTICATE[3 1 1 b2b2]"),
            Arguments.of("2.2.3 CNAME'd host without TLSA at the target: TLSA at the MX host name",
                "cnamefallback.example.test", "SECURE alias.cnamefallback.example.test=AUTHENTICATE[3 1 1 a1a1]"),
            Arguments.of("2.2.2 CNAME'd host whose target is insecure: not applicable", "cnameinsecure.example.test",
                "SECURE alias.cnameinsecure.example.test=NOT_APPLICABLE"),
            // insecure never counts as secure, even with TLSA records published
            Arguments.of("2.2.1 insecure MX RRset with TLSA published: not applicable", "insecure.test",
                "NOT_APPLICABLE"),
            Arguments.of("2.2.2 secure MX, insecure host with TLSA published: not applicable", "insecurehost.example.test",
                "SECURE mx.insecure.test=NOT_APPLICABLE"),
            // bogus and failed lookups: unusable, dnssec-invalid
            Arguments.of("2.2.3 bogus TLSA signature: host unusable", "bogustlsa.example.test",
                "SECURE mx.bogustlsa.example.test=UNUSABLE/dnssec-invalid"),
            Arguments.of("2.2.3 expired TLSA signature: host unusable", "expiredtlsa.example.test",
                "SECURE mx.expiredtlsa.example.test=UNUSABLE/dnssec-invalid"),
            Arguments.of("2.2.3 bogus denial of TLSA: host unusable", "bogusdenial.example.test",
                "SECURE mx.bogusdenial.example.test=UNUSABLE/dnssec-invalid"),
            Arguments.of("2.2.3 SERVFAIL for TLSA: host unusable", "servfailtlsa.example.test",
                "SECURE mx.servfailtlsa.example.test=UNUSABLE/dnssec-invalid"),
            Arguments.of("2.2.2 bogus address records: host unusable", "bogusaddress.example.test",
                "SECURE mx.bogusaddress.example.test=UNUSABLE/dnssec-invalid"),
            Arguments.of("2.2.1 bogus MX RRset: domain unusable", "bogusmx.example.test", "UNUSABLE/dnssec-invalid"),
            Arguments.of("2.2.1 SERVFAIL for MX: domain unusable", "servfailmx.example.test",
                "UNUSABLE/dnssec-invalid"),
            // nothing to deliver to
            Arguments.of("2.2.1 secure NXDOMAIN: not applicable", "nothing.example.test", "NOT_APPLICABLE"),
            Arguments.of("RFC 7505 null MX: not applicable", "nullmx.example.test", "NOT_APPLICABLE"),
            Arguments.of("2.2.2 host without address records: not applicable", "noaddress.example.test",
                "SECURE mx.noaddress.example.test=NOT_APPLICABLE"));
    }

    @ParameterizedTest(name = "RFC 7672 {0}")
    @MethodSource("domains")
    void rfc7672ShouldDecideOnValidatedAnswers(String rule, String domain, String expected) {
        assertThat(summary(lookup().lookup(domain(domain)))).isEqualTo(expected);
    }

    @Test
    void theTlsaBaseShouldBeTheExpandedNameWhereTheRecordsWereFound() {
        ValidatingDaneLookup lookup = lookup();
        assertThat(lookup.lookup(domain("cname.example.test")).host(domain("alias.cname.example.test"))
            .orElseThrow().tlsaBase()).isEqualTo(domain("real.cname.example.test"));
        assertThat(lookup.lookup(domain("cnamefallback.example.test")).host(domain("alias.cnamefallback.example.test"))
            .orElseThrow().tlsaBase()).isEqualTo(domain("alias.cnamefallback.example.test"));
        assertThat(lookup.lookup(domain("ee.example.test")).host(domain("mx.ee.example.test"))
            .orElseThrow().tlsaBase()).isEqualTo(domain("mx.ee.example.test"));
    }

    @Test
    void moreMxHostsThanTheBoundShouldBeCutInPreferenceOrder() {
        for (int i = 12; i >= 1; i--) {
            dns.mx("many.example.test", i, "mx" + i + ".many.example.test").a("mx" + i + ".many.example.test",
                "127.0.0.40");
        }
        DaneDomain many = lookup().lookup(domain("many.example.test"));
        assertThat(many.hosts().keySet()).extracting(DomainName::asString).containsExactly(
            "mx1.many.example.test", "mx2.many.example.test", "mx3.many.example.test", "mx4.many.example.test",
            "mx5.many.example.test", "mx6.many.example.test", "mx7.many.example.test", "mx8.many.example.test",
            "mx9.many.example.test", "mx10.many.example.test");
    }

    @Test
    void anOversizedTlsaRrsetShouldBeClippedKeepingUsableRecords() {
        host("bigtlsa.example.test");
        for (int i = 0; i < 30; i++) {
            dns.tlsa("_25._tcp.mx.bigtlsa.example.test", 0, 1, 1, filled(32, i)); // PKIX-TA: unusable for SMTP
        }
        dns.tlsa("_25._tcp.mx.bigtlsa.example.test", 3, 1, 1, SHA256_A);
        MxDane host = lookup().lookup(domain("bigtlsa.example.test")).host(domain("mx.bigtlsa.example.test"))
            .orElseThrow();
        assertThat(host.records()).hasSize(ValidatingDaneLookup.MAX_TLSA_RECORDS);
        assertThat(host.kind()).isEqualTo(MxDane.Kind.AUTHENTICATE);
        assertThat(host.usableRecords()).extracting(TlsaRecord::usage).containsExactly(3);
    }

    @Test
    void aSilentServerShouldMakeTheHostUnusableWithinTheDeadline() {
        host("silent.example.test").silent("_25._tcp.mx.silent.example.test");
        ValidatingDaneLookup quick = settings().withQueryTimeout(Duration.ofMillis(200))
            .withLookupDeadline(Duration.ofSeconds(2)).open(clock);
        assertThat(summary(quick.lookup(domain("silent.example.test"))))
            .isEqualTo("SECURE mx.silent.example.test=UNUSABLE/dnssec-invalid");
    }

    @Test
    void theValidatorHealthShouldBeSecureWithTheRightAnchorAndBogusWithAnother() {
        assertThat(lookup().validatorHealth().status()).isEqualTo(DnssecStatus.SECURE);
        try (LoopbackDnsServer other = LoopbackDnsServer.start(DNS_IP, 0).signedZone(".")) {
            ValidatingDaneLookup wrong = settings()
                .withTrustAnchors(DnssecTrustAnchors.parse(other.trustAnchorText(), "another root")).open(clock);
            assertThat(wrong.validatorHealth().status()).isEqualTo(DnssecStatus.BOGUS);
            assertThat(summary(wrong.lookup(domain("ee.example.test")))).isEqualTo("UNUSABLE/dnssec-invalid");
        }
    }

    @Test
    void theRealRootAnchorShouldMakeThePrivateRootBogusNeverSecure() {
        ValidatingDaneLookup realRoot = settings().withTrustAnchors(DnssecTrustAnchors.rootKsks()).open(clock);
        assertThat(summary(realRoot.lookup(domain("ee.example.test")))).isEqualTo("UNUSABLE/dnssec-invalid");
    }

    private static ValidatingDaneLookup lookup() {
        return settings().open(clock);
    }

    private static DaneSettings settings() {
        return DaneSettings.defaults().withResolvers(List.of(new InetSocketAddress(DNS_IP, dns.port())))
            .withTrustAnchors(DnssecTrustAnchors.parse(dns.trustAnchorText(), "the test root"));
    }

    /** MX {@code mx.<domain>} with an address. */
    private static LoopbackDnsServer host(String domain) {
        return dns.mx(domain, 10, "mx." + domain).a("mx." + domain, "127.0.0.31");
    }

    static String summary(DaneDomain dane) {
        String kind = dane.kind() + dane.failure().map(f -> "/" + f.token()).orElse("");
        if (dane.kind() != DaneDomain.Kind.SECURE) {
            return kind;
        }
        return kind + " " + dane.hosts().values().stream().map(ValidatingDaneLookupTest::summary)
            .collect(Collectors.joining(" "));
    }

    private static String summary(MxDane host) {
        String records = host.records().isEmpty() ? "" : host.records().stream()
            .map(r -> r.presentation().substring(0, "3 1 1 a1a1".length())).sorted(java.util.Comparator.reverseOrder())
            .collect(Collectors.joining(", ", "[", "]"));
        return host.mxHost().asString() + "=" + host.kind() + host.failure().map(f -> "/" + f.token()).orElse("")
            + records;
    }

    static DomainName domain(String name) {
        return DomainName.of(name).orElseThrow();
    }

    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
