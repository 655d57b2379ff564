package io.github.jamesmtasts.mtasts.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/** The {@code dane.*} keys of conf/mta-sts.properties: defaults, values, and errors that name the key. */
class DaneSettingsTest {

    @TempDir
    Path directory;

    @Test
    void withoutKeysTheDefaultsShouldApply() {
        DaneSettings settings = DaneSettings.fromProperties(new Properties(), directory);
        assertThat(settings).isEqualTo(DaneSettings.defaults());
        assertThat(settings.resolvers()).isEmpty();
        assertThat(settings.trustAnchors().zones()).containsExactly(Name.root);
        assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.lookupDeadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.cacheEntries()).isEqualTo(10_000);
        assertThat(settings.maxTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.failureTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyKeyShouldBeRead() throws IOException {
        Files.write(directory.resolve("anchors.txt"),
            "example. 3600 IN DS 12345 13 2 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789\n"
                .getBytes(StandardCharsets.US_ASCII));
        DaneSettings settings = DaneSettings.fromProperties(properties("dane.resolvers",
            "127.0.0.1:5353, [::1]:53, 10.0.0.1, ::2", "dane.trustAnchors", "anchors.txt", "dane.queryTimeout", "2s",
            "dane.lookupDeadline", "1m", "dane.cacheEntries", "50", "dane.maxTtl", "10m", "dane.failureTtl", "0"),
            directory);
        assertThat(settings.resolvers()).containsExactly(new InetSocketAddress("127.0.0.1", 5353),
            new InetSocketAddress("::1", 53), new InetSocketAddress("10.0.0.1", 53), new InetSocketAddress("::2", 53));
        assertThat(settings.trustAnchors().zones()).extracting(Name::toString).containsExactly("example.");
        assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.lookupDeadline()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.cacheEntries()).isEqualTo(50);
        assertThat(settings.maxTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.failureTtl()).isEqualTo(Duration.ZERO);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
            Arguments.of("dane.resolvers", "dns.example.net", "dane.resolvers = 'dns.example.net' is invalid"),
            Arguments.of("dane.resolvers", "127.0.0.1:99999", "ports, e.g. 127.0.0.1:53"),
            Arguments.of("dane.resolvers", "[::1", "'[::1' is none"),
            Arguments.of("dane.resolvers", "1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,1.1.1.9,"
                + "1.1.1.10,1.1.1.11", "at most 10 resolvers"),
            Arguments.of("dane.queryTimeout", "forever", "dane.queryTimeout = 'forever' is invalid; use a duration"),
            Arguments.of("dane.queryTimeout", "10m", "from 100ms to 1m"),
            Arguments.of("dane.cacheEntries", "-1", "dane.cacheEntries = '-1' is invalid; use a whole number"),
            Arguments.of("dane.maxTtl", "30d", "dane.maxTtl = '30d' is invalid"),
            Arguments.of("dane.failureTtl", "2h", "dane.failureTtl = '2h' is invalid"),
            Arguments.of("dane.trustAnchors", "missing.txt", "dane.trustAnchors: cannot read trust anchor file"),
            Arguments.of("dane.trustanchors", "typo.txt", "unknown setting 'dane.trustanchors'"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badValues")
    void aBadValueShouldBeRefusedNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> DaneSettings.fromProperties(properties(key, value), directory))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conf/mta-sts.properties")
            .hasMessageContaining(message);
    }

    static Stream<Arguments> badAnchorFiles() {
        return Stream.of(
            Arguments.of("", "holds no DS or DNSKEY record"),
            Arguments.of("example. 3600 IN A 127.0.0.1\n", "holds no DS or DNSKEY record"),
            Arguments.of(". IN DS this is not a digest\n", "is not in zone-file syntax"),
            Arguments.of("$INCLUDE /etc/passwd\n", "uses $INCLUDE"),
            Arguments.of("x".repeat(DnssecTrustAnchors.MAX_FILE_BYTES + 1), "bytes; at most 65536"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badAnchorFiles")
    void aBadTrustAnchorFileShouldBeRefusedNamingTheFile(String content, String message) throws IOException {
        Path file = Files.write(directory.resolve("anchors.txt"), content.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> DaneSettings.fromProperties(properties("dane.trustAnchors", "anchors.txt"),
            directory)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dane.trustAnchors")
            .hasMessageContaining(file.toString()).hasMessageContaining(message);
    }

    @Test
    void manyAnchorsShouldBeRefused() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i <= DnssecTrustAnchors.MAX_RECORDS; i++) {
            text.append("a").append(i).append(". IN DS 1 13 2 ").append("AB".repeat(32)).append('\n');
        }
        assertThatThrownBy(() -> DnssecTrustAnchors.parse(text.toString(), "big file"))
            .hasMessageContaining("big file has more than 100 DS/DNSKEY records");
    }

    @Test
    void theBuiltInAnchorsShouldBeTheRootKsks() {
        assertThat(DnssecTrustAnchors.ROOT_KSK_DS).contains(". IN DS 20326 8 2 E06D44B8")
            .contains(". IN DS 38696 8 2 683D2D0A");
        assertThat(DnssecTrustAnchors.rootKsks().zones()).containsExactly(Name.root);
    }

    @Test
    void aTrustAnchorFileShouldMakeTheValidatorHealthy() {
        SettableClock clock = new SettableClock(Instant.now());
        try (LoopbackDnsServer dns = LoopbackDnsServer.start("127.0.0.26", 0).signatureClock(clock).signedZone(".")) {
            dns.writeTrustAnchor(directory.resolve("root.key"));
            DaneSettings settings = DaneSettings.fromProperties(properties("dane.resolvers", "127.0.0.26:" + dns.port(),
                "dane.trustAnchors", "root.key"), directory);
            assertThat(settings.resolvers()).containsExactly(new InetSocketAddress("127.0.0.26", dns.port()));
            SecureAnswer health = settings.open(clock).validatorHealth();
            assertThat(health.status()).as(health.toString()).isEqualTo(DnssecStatus.SECURE);
        }
    }

    @Test
    void theDnskeyFormOfTheAnchorShouldWorkToo() {
        SettableClock clock = new SettableClock(Instant.now());
        try (LoopbackDnsServer dns = LoopbackDnsServer.start("127.0.0.26", 0).signatureClock(clock).signedZone(".")) {
            DaneSettings settings = DaneSettings.defaults()
                .withResolvers(List.of(new InetSocketAddress("127.0.0.26", dns.port())))
                .withTrustAnchors(DnssecTrustAnchors.parse(dns.trustAnchorDnskeyText(), "test root DNSKEY"));
            assertThat(settings.open(clock).validatorHealth().status()).isEqualTo(DnssecStatus.SECURE);
        }
    }

    private static Properties properties(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
