package io.github.jamesmtasts.mtasts.dane;

import static io.github.jamesmtasts.mtasts.dane.ValidatingDaneLookupTest.domain;
import static io.github.jamesmtasts.mtasts.dane.ValidatingDaneLookupTest.filled;
import static io.github.jamesmtasts.mtasts.dane.ValidatingDaneLookupTest.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/** The TTL cache of validated answers: hits within the TTL, expiry by the injected clock, the caps and the bound. */
class DaneAnswerCacheTest {
    private static final String DNS_IP = "127.0.0.25";
    private static final String TLSA = "_25._tcp.mx.ee.example.test. TLSA";

    private LoopbackDnsServer dns;
    private SettableClock clock;

    @BeforeEach
    void start() {
        clock = new SettableClock(Instant.now());
        dns = LoopbackDnsServer.start(DNS_IP, 0).signatureClock(clock).signedZone(".").signedZone("example.test");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void aValidatedAnswerShouldBeReusedWithinItsTtlAndAskedAgainAfter() {
        dns.ttl(Duration.ofSeconds(300));
        publish();
        ValidatingDaneLookup lookup = settings().open(clock);
        String first = summary(lookup.lookup(domain("ee.example.test")));
        assertThat(first).isEqualTo("SECURE mx.ee.example.test=AUTHENTICATE[3 1 1 a1a1]");
        assertThat(tlsaQueries()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(299));
        assertThat(summary(lookup.lookup(domain("ee.example.test")))).isEqualTo(first);
        assertThat(tlsaQueries()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(summary(lookup.lookup(domain("ee.example.test")))).isEqualTo(first);
        assertThat(tlsaQueries()).isEqualTo(2);
    }

    @Test
    void aLongTtlShouldBeCappedByMaxTtl() {
        dns.ttl(Duration.ofDays(2));
        publish();
        ValidatingDaneLookup lookup = settings().withCache(100, Duration.ofHours(1), Duration.ZERO).open(clock);
        lookup.lookup(domain("ee.example.test"));
        clock.advance(Duration.ofMinutes(59));
        lookup.lookup(domain("ee.example.test"));
        assertThat(tlsaQueries()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        lookup.lookup(domain("ee.example.test"));
        assertThat(tlsaQueries()).isEqualTo(2);
    }

    @Test
    void aBogusAnswerShouldBeKeptOnlyForTheFailureTtl() {
        dns.ttl(Duration.ofSeconds(300));
        publish();
        dns.bogus("_25._tcp.mx.ee.example.test");
        ValidatingDaneLookup lookup = settings().withCache(100, Duration.ofHours(1), Duration.ofSeconds(30))
            .open(clock);
        assertThat(summary(lookup.lookup(domain("ee.example.test"))))
            .isEqualTo("SECURE mx.ee.example.test=UNUSABLE/dnssec-invalid");
        lookup.lookup(domain("ee.example.test"));
        assertThat(tlsaQueries()).isEqualTo(1);

        dns.stopBogus("_25._tcp.mx.ee.example.test");
        clock.advance(Duration.ofSeconds(30));
        assertThat(summary(lookup.lookup(domain("ee.example.test"))))
            .isEqualTo("SECURE mx.ee.example.test=AUTHENTICATE[3 1 1 a1a1]");
        assertThat(tlsaQueries()).isEqualTo(2);
    }

    @Test
    void withoutAFailureTtlEveryLookupShouldAskAgain() {
        publish();
        dns.servfail("_25._tcp.mx.ee.example.test");
        ValidatingDaneLookup lookup = settings().withCache(100, Duration.ofHours(1), Duration.ZERO).open(clock);
        lookup.lookup(domain("ee.example.test"));
        lookup.lookup(domain("ee.example.test"));
        assertThat(tlsaQueries()).isEqualTo(2);
    }

    @Test
    void theCacheShouldHoldAtMostItsBoundDroppingTheLeastRecentlyUsed() throws Exception {
        SecureAnswerCache cache = new SecureAnswerCache(clock, 2, Duration.ofHours(1), Duration.ofMinutes(1));
        Name a = Name.fromString("a.test.");
        Name b = Name.fromString("b.test.");
        Name c = Name.fromString("c.test.");
        for (Name name : List.of(a, b)) {
            cache.put(SecureAnswer.failed(name, Type.TLSA, DnssecStatus.BOGUS, "test"));
        }
        cache.get(a, Type.TLSA);
        cache.put(SecureAnswer.failed(c, Type.TLSA, DnssecStatus.BOGUS, "test"));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(a, Type.TLSA)).isPresent();
        assertThat(cache.get(b, Type.TLSA)).isEmpty();
        assertThat(cache.get(c, Type.TLSA)).isPresent();
        assertThat(cache.get(Name.fromString("C.TEST."), Type.TLSA)).as("names compare case-insensitively").isPresent();
    }

    private void publish() {
        dns.mx("ee.example.test", 10, "mx.ee.example.test").a("mx.ee.example.test", "127.0.0.31")
            .tlsa("_25._tcp.mx.ee.example.test", 3, 1, 1, filled(32, 0xa1));
    }

    private long tlsaQueries() {
        return dns.queries().stream().filter(TLSA::equals).count();
    }

    private DaneSettings settings() {
        return DaneSettings.defaults().withResolvers(List.of(new InetSocketAddress(DNS_IP, dns.port())))
            .withTrustAnchors(DnssecTrustAnchors.parse(dns.trustAnchorText(), "the test root"));
    }
}
