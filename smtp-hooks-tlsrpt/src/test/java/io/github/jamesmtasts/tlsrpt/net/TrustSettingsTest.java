package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one setting name scheme ({@code <scope>.trustStore...}) with the old names as aliases. */
class TrustSettingsTest {

    private static final TrustSettings HTTPS = TrustSettings.scope("https")
        .withAlias(TrustSettings.TRUST_STORE, "httpsTrustStore")
        .withAlias(TrustSettings.TRUST_STORE_TYPE, "httpsTrustStoreType")
        .withAlias(TrustSettings.TRUST_STORE_PASSWORD, "httpsTrustStorePassword")
        .withAlias(TrustSettings.ALLOW_NETWORKS, "httpsAllowedNetworks");
    private static final Path WORK = Paths.get("/opt/james");

    static Stream<Arguments> sources() {
        return Stream.of(
            arguments("nothing set: JVM default", Map.of(), Optional.empty()),
            arguments("current names", Map.of("https.trustStore", "conf/ca.p12", "https.trustStoreType", "pkcs12",
                "https.trustStorePassword", "pw"), Optional.of(TrustSource.of(WORK.resolve("conf/ca.p12"),
                Optional.of(TrustSource.Type.PKCS12), Optional.of("pw")))),
            arguments("old names still work", Map.of("httpsTrustStore", "/etc/ca.jks", "httpsTrustStoreType", "JKS",
                "httpsTrustStorePassword", "pw"), Optional.of(TrustSource.of(Paths.get("/etc/ca.jks"),
                Optional.of(TrustSource.Type.JKS), Optional.of("pw")))),
            arguments("old and current names mixed", Map.of("https.trustStore", "ca.pem", "httpsTrustStorePassword", "pw"),
                Optional.of(TrustSource.of(WORK.resolve("ca.pem"), Optional.empty(), Optional.of("pw")))),
            arguments("no type: recognised from the file", Map.of("https.trustStore", " ca.pem "),
                Optional.of(TrustSource.of(WORK.resolve("ca.pem"), Optional.empty(), Optional.empty()))),
            arguments("blank values are absent", Map.of("https.trustStore", " ", "https.trustStorePassword", ""),
                Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void trustSourceShouldReadTheCurrentAndTheOldNames(String rule, Map<String, String> values,
                                                       Optional<TrustSource> expected) {
        assertThat(HTTPS.trustSource(name -> Optional.ofNullable(values.get(name)), WORK::resolve)).isEqualTo(expected);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
            arguments("unknown type, current name", Map.of("https.trustStore", "a", "https.trustStoreType", "DER"),
                "https.trustStoreType = 'DER' is invalid; use PEM, PKCS12 or JKS"),
            arguments("unknown type, old name", Map.of("https.trustStore", "a", "httpsTrustStoreType", "DER"),
                "httpsTrustStoreType = 'DER' is invalid"),
            arguments("password without store", Map.of("https.trustStorePassword", "pw"),
                "https.trustStorePassword needs https.trustStore"),
            arguments("a name and its alias both set", Map.of("https.trustStore", "a", "httpsTrustStore", "b"),
                "https.trustStore and its old name httpsTrustStore are both set"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void trustSourceShouldRefuseNamingTheSettingAsWritten(String rule, Map<String, String> values, String message) {
        assertThatThrownBy(() -> HTTPS.trustSource(name -> Optional.ofNullable(values.get(name)), WORK::resolve))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void allowNetworksShouldReadEitherNameAndNameTheOneWrittenWhenBad() {
        assertThat(HTTPS.allowNetworks(name -> name.equals("https.allowNetworks")
            ? Optional.of("10.0.0.0/8, fd00::/8") : Optional.empty()))
            .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
        assertThat(HTTPS.allowNetworks(name -> name.equals("httpsAllowedNetworks")
            ? Optional.of("10.0.0.0/8 192.168.0.0/16") : Optional.empty()))
            .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.168.0.0/16"));
        assertThat(HTTPS.allowNetworks(name -> Optional.empty())).isEmpty();
        assertThatThrownBy(() -> HTTPS.allowNetworks(name -> name.equals("httpsAllowedNetworks")
            ? Optional.of("intranet") : Optional.empty()))
            .hasMessageContaining("httpsAllowedNetworks = 'intranet' is invalid; use comma-separated CIDR blocks");
    }

    @Test
    void allNamesShouldListCurrentNamesAndAliases() {
        assertThat(HTTPS.allNames()).containsExactlyInAnyOrder("https.trustStore", "httpsTrustStore",
            "https.trustStoreType", "httpsTrustStoreType", "https.trustStorePassword", "httpsTrustStorePassword",
            "https.allowNetworks", "httpsAllowedNetworks");
        assertThat(TrustSettings.scope("mtasts").allNames()).containsExactly("mtasts.trustStore",
            "mtasts.trustStoreType", "mtasts.trustStorePassword", "mtasts.allowNetworks");
        assertThat(List.of(HTTPS.name(TrustSettings.TRUST_STORE))).containsExactly("https.trustStore");
    }
}
