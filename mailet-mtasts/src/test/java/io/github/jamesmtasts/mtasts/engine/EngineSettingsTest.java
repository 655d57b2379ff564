package io.github.jamesmtasts.mtasts.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.fetch.FetchSettings;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;
import io.github.jamesmtasts.mtasts.resolve.ResolverSettings;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.recorder.RecorderSettings;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;

class EngineSettingsTest {

    static final Path JAMES = Paths.get("/opt/james");

    static EngineSettings parse(Map<String, String> values) {
        return EngineSettings.parse(values, JAMES, "conf/mta-sts.properties");
    }

    @Test
    void emptyConfigurationShouldGiveTheEmbeddedDatabaseAndRfcDefaults() {
        EngineSettings settings = EngineSettings.parse(new Properties(), JAMES);

        assertThat(settings).isEqualTo(EngineSettings.of(
            DatabaseSettings.embedded(Paths.get("/opt/james/var/mta-sts/mtasts")), FetchSettings.defaults(),
            ResolverSettings.defaults(), true));
    }

    @Test
    void everySettingShouldBeRead() {
        EngineSettings settings = parse(Map.ofEntries(
            Map.entry("store.jdbcUrl", "jdbc:postgresql://db.internal:5432/james"),
            Map.entry("store.user", "james"),
            Map.entry("store.password", "secret"),
            Map.entry("store.poolSize", "8"),
            Map.entry("fetch.timeout", "20s"),
            Map.entry("fetch.strictMediaType", "false"),
            Map.entry("fetch.trustStore", "conf/policy-cas.p12"),
            Map.entry("fetch.trustStore.password", "changeit"),
            Map.entry("fetch.allowNetworks", "10.0.0.0/8, fd00::/8"),
            Map.entry("resolver.minCheckInterval", "10m"),
            Map.entry("resolver.evictUnusedAfter", "90d"),
            Map.entry("resolver.policyWait", "500ms"),
            Map.entry("resolver.policyDeferral", "30s"),
            Map.entry("resolver.discoveryThreads", "16"),
            Map.entry("resolver.discoveryQueue", "200"),
            Map.entry("refresh.enabled", "FALSE"),
            Map.entry("refresh.alertAfterFailures", "5"),
            Map.entry("tlsrpt.organizationName", "left to other components")));

        assertThat(settings).isEqualTo(EngineSettings.of(
            DatabaseSettings.postgresql("jdbc:postgresql://db.internal:5432/james", Optional.of("james"),
                Optional.of("secret"), 8),
            FetchSettings.defaults().withTimeout(Duration.ofSeconds(20)).withStrictMediaType(false)
                .withTrust(TrustSource.of(Paths.get("/opt/james/conf/policy-cas.p12"), Optional.empty(), Optional.of("changeit")))
                .withAllowNetworks(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"))),
            ResolverSettings.defaults().withMinCheckInterval(Duration.ofMinutes(10))
                .withEvictUnusedAfter(Duration.ofDays(90)).withAlertAfterFailures(5)
                .withPolicyWait(Duration.ofMillis(500)).withPolicyDeferral(Duration.ofSeconds(30))
                .withDiscoveryThreads(16).withDiscoveryQueue(200),
            false));
        assertThat(settings.toString()).doesNotContain("secret", "changeit");
    }

    @Test
    void relativeEmbeddedPathAndPemTrustStoreShouldResolveAgainstTheWorkingDirectory() {
        EngineSettings settings = parse(Map.of("store.embeddedPath", "data/sts", "fetch.trustStore", "conf/cas.pem",
            "fetch.timeout", "PT30S"));

        assertThat(settings.database()).isEqualTo(DatabaseSettings.embedded(Paths.get("/opt/james/data/sts")));
        assertThat(settings.fetch().trust()).contains(TrustSource.of(Paths.get("/opt/james/conf/cas.pem"), Optional.empty(),
            Optional.empty()));
        assertThat(settings.fetch().timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void recorderSettingsShouldBeRead() {
        EngineSettings settings = parse(Map.of("recorder.groupCommit", "5ms", "recorder.commitWait", "0"));

        assertThat(settings.recorder()).isEqualTo(RecorderSettings.defaults().withGroupCommit(Duration.ofMillis(5))
            .withCommitWait(Duration.ZERO));
        assertThat(parse(Map.of()).recorder()).isEqualTo(RecorderSettings.defaults());
    }

    @Test
    void misspelledRecorderKeyShouldBeRefusedInsteadOfIgnored() {
        assertThatThrownBy(() -> parse(Map.of("recorder.commitwait", "1s")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown setting 'recorder.commitwait'")
            .hasMessageContaining("recorder.commitWait");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
            Arguments.of("store.poolSize must be a number", "store.poolSize", "four", "a whole number from 1 to 100"),
            Arguments.of("store.poolSize at least 1", "store.poolSize", "0", "a whole number from 1 to 100"),
            Arguments.of("store.jdbcUrl only PostgreSQL", "store.jdbcUrl", "jdbc:mysql://db/james",
                "jdbc:postgresql://host:port/database"),
            Arguments.of("F 3.3 fetch.timeout at most 60 s", "fetch.timeout", "90s", "from 1ms to 1m"),
            Arguments.of("fetch.timeout needs a unit or seconds", "fetch.timeout", "a minute", "such as 500ms, 30s"),
            Arguments.of("fetch.strictMediaType is a boolean", "fetch.strictMediaType", "yes", "true or false"),
            Arguments.of("fetch.trustStoreType PEM, PKCS12 or JKS", "fetch.trustStoreType", "DER", "PEM, PKCS12 or JKS"),
            Arguments.of("fetch.trustStore.type (old name) PEM, PKCS12 or JKS", "fetch.trustStore.type", "DER",
                "PEM, PKCS12 or JKS"),
            Arguments.of("allowed networks are CIDR blocks", "fetch.allowNetworks", "10.0.0.0/33",
                "comma-separated CIDR blocks"),
            Arguments.of("resolver.minCheckInterval at most a day", "resolver.minCheckInterval", "2d", "from 1s to 1d"),
            Arguments.of("H6 resolver.policyWait at most 60 s", "resolver.policyWait", "2m", "from 0s to 1m"),
            Arguments.of("H6 resolver.policyDeferral at least 1 s", "resolver.policyDeferral", "100ms",
                "from 1s to 1h"),
            Arguments.of("H6 resolver.discoveryThreads bounded", "resolver.discoveryThreads", "5000",
                "from 1 to 1024"),
            Arguments.of("H6 resolver.discoveryQueue bounded", "resolver.discoveryQueue", "0", "from 1 to 100000"),
            Arguments.of("refresh.alertAfterFailures at least 1", "refresh.alertAfterFailures", "0", "from 1 to 1000"),
            Arguments.of("refresh.enabled is a boolean", "refresh.enabled", "on", "true or false"),
            Arguments.of("recorder.groupCommit at most 1 s", "recorder.groupCommit", "2s", "from 0s to 1s"),
            Arguments.of("recorder.commitWait at most 60 s", "recorder.commitWait", "5m", "from 0s to 1m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValueShouldBeRefusedNamingKeyValueAndWhatIsAccepted(String rule, String key, String value, String accepted) {
        Map<String, String> values = key.startsWith("fetch.trustStore") && !key.equals("fetch.trustStore")
            ? Map.of(key, value, "fetch.trustStore", "conf/cas") : Map.of(key, value);

        assertThatThrownBy(() -> parse(values))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("conf/mta-sts.properties")
            .hasMessageContaining(key + " = '" + value + "'")
            .hasMessageContaining(accepted);
    }

    @Test
    void misspelledKeyShouldBeRefusedInsteadOfIgnored() {
        assertThatThrownBy(() -> parse(Map.of("store.jdbcURL", "jdbc:postgresql://db/james")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown setting 'store.jdbcURL'")
            .hasMessageContaining("store.jdbcUrl");
    }

    @Test
    void errorAboutTheJdbcUrlShouldNotShowAPasswordWrittenIntoIt() {
        assertThatThrownBy(() -> parse(Map.of(EngineSettings.STORE_JDBC_URL,
            "jdbc:mysql://db.internal/james?user=james&password=s3cret-in-url")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("jdbc:mysql://db.internal/james?user=james&password=***")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-in-url"));
    }

    @Test
    void settingsAsLoggedShouldShowNoPassword() {
        EngineSettings settings = parse(Map.of(
            EngineSettings.STORE_JDBC_URL, "jdbc:postgresql://db.internal/james?password=s3cret-in-url",
            EngineSettings.STORE_PASSWORD, "s3cret-setting"));

        assertThat(settings.toString()).contains("db.internal/james?password=***")
            .doesNotContain("s3cret-in-url").doesNotContain("s3cret-setting");
        assertThat(settings.database().describe()).doesNotContain("s3cret");
    }
}
