package io.github.jamesmtasts.mtasts.deliver;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MtaStsDeliverySettingsTest {

    private static MtaStsDeliverySettings parse(Map<String, String> parameters) {
        return MtaStsDeliverySettings.parse(name -> Optional.ofNullable(parameters.get(name)));
    }

    @Test
    void defaultsShouldEnableMtaStsWithoutOverrides() {
        MtaStsDeliverySettings settings = MtaStsDeliverySettings.defaults();

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.overrideFor(name("example.com"))).isEmpty();
        assertThat(settings.reportMailHeader()).isEqualTo("TLS-Required");
        assertThat(settings.tlsRequiredHeader()).isEqualTo(TlsRequiredHeader.AUTHENTICATED);
        assertThat(settings.opportunisticTls()).isTrue();
        assertThat(settings.deliveryThreads()).isEqualTo(Math.min(256, 10 * Runtime.getRuntime().availableProcessors()));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
            Arguments.of("enabled false", Map.of("mtasts.enabled", "FALSE"), false, Map.of()),
            Arguments.of("blank value means default", Map.of("mtasts.enabled", "  "), true, Map.of()),
            Arguments.of("three overrides", Map.of("mtasts.domainOverrides",
                    "example.com:disable, Other.EXAMPLE.:enforce ,x.test:testing"), true,
                Map.of("example.com", DomainOverride.DISABLE, "other.example", DomainOverride.ENFORCE,
                    "x.test", DomainOverride.TESTING)),
            Arguments.of("trailing comma tolerated", Map.of("mtasts.domainOverrides", "example.com:testing,"), true,
                Map.of("example.com", DomainOverride.TESTING)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void parseShouldAccept(String name, Map<String, String> parameters, boolean enabled,
                           Map<String, DomainOverride> overrides) {
        MtaStsDeliverySettings settings = parse(parameters);

        assertThat(settings.enabled()).isEqualTo(enabled);
        overrides.forEach((domain, override) -> assertThat(settings.overrideFor(name(domain))).contains(override));
        assertThat(settings.overrideFor(name("absent.test"))).isEmpty();
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            Arguments.of("enabled not a boolean", Map.of("mtasts.enabled", "yes"), "mtasts.enabled: 'yes' is not a boolean"),
            Arguments.of("override without mode", Map.of("mtasts.domainOverrides", "example.com"),
                "mtasts.domainOverrides: 'example.com' is not domain:mode"),
            Arguments.of("override with unknown mode", Map.of("mtasts.domainOverrides", "example.com:strict"),
                "mtasts.domainOverrides: unknown mode 'strict' for example.com; accepted: disable, testing, enforce"),
            Arguments.of("override listed twice", Map.of("mtasts.domainOverrides", "a.test:testing, A.test:enforce"),
                "mtasts.domainOverrides: a.test is listed twice"),
            Arguments.of("override of an address", Map.of("mtasts.domainOverrides", "user@a.test:testing"),
                "mtasts.domainOverrides: 'user@a.test' is not a domain name"),
            Arguments.of("header name with colon", Map.of("mtasts.reportMailHeader", "TLS-Required: No"),
                "mtasts.reportMailHeader: 'TLS-Required: No' is not a header field name"),
            Arguments.of("unknown tlsRequiredHeader", Map.of("mtasts.tlsRequiredHeader", "yes"),
                "mtasts.tlsRequiredHeader: unknown value 'yes'; accepted: authenticated, any, never"),
            Arguments.of("opportunisticTls not a boolean", Map.of("mtasts.opportunisticTls", "may"),
                "mtasts.opportunisticTls: 'may' is not a boolean; use true or false"),
            Arguments.of("dane not a boolean", Map.of("mtasts.dane", "dnssec"),
                "mtasts.dane: 'dnssec' is not a boolean; use true or false"),
            Arguments.of("dane override without mode", Map.of("mtasts.daneOverrides", "example.com"),
                "mtasts.daneOverrides: 'example.com' is not domain:mode; write e.g. 'example.com:required, "
                    + "other.example:off' with mode one of on, off, required"),
            Arguments.of("dane override with unknown mode", Map.of("mtasts.daneOverrides", "example.com:enforce"),
                "mtasts.daneOverrides: unknown mode 'enforce' for example.com; accepted: on, off, required"),
            Arguments.of("dane override listed twice", Map.of("mtasts.daneOverrides", "a.test:on, A.test.:off"),
                "mtasts.daneOverrides: a.test is listed twice; keep one entry"),
            Arguments.of("dane override of an address", Map.of("mtasts.daneOverrides", "[127.0.0.1]:on"),
                "mtasts.daneOverrides: '[127.0.0.1]' is not a domain name"),
            Arguments.of("zero threads", Map.of("deliveryThreads", "0"), "deliveryThreads: '0' must be a number from 1 to 256"),
            Arguments.of("threads not a number", Map.of("deliveryThreads", "many"),
                "deliveryThreads: 'many' must be a number from 1 to 256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void parseShouldRejectNamingTheParameter(String name, Map<String, String> parameters, String message) {
        assertThatThrownBy(() -> parse(parameters))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(message);
    }

    @Test
    void daneShouldBeOffByDefault() {
        MtaStsDeliverySettings settings = MtaStsDeliverySettings.defaults();

        assertThat(settings.daneFor(name("example.com"))).isEqualTo(DaneOverride.OFF);
        assertThat(settings.daneUsed()).isFalse();
    }

    @Test
    void daneOverridesShouldWinOverTheMailetWideSwitch() {
        MtaStsDeliverySettings settings = parse(Map.of("mtasts.dane", "TRUE",
            "mtasts.daneOverrides", "Strict.Example.:required, legacy.example:off,"));

        assertThat(settings.daneFor(name("strict.example"))).isEqualTo(DaneOverride.REQUIRED);
        assertThat(settings.daneFor(name("legacy.example"))).isEqualTo(DaneOverride.OFF);
        assertThat(settings.daneFor(name("other.example"))).isEqualTo(DaneOverride.ON);
        assertThat(settings.daneUsed()).isTrue();
    }

    @Test
    void aDaneOverrideAloneShouldNeedTheValidatingLookupButOffOverridesShouldNot() {
        assertThat(parse(Map.of("mtasts.daneOverrides", "strict.example:required")).daneFor(name("other.example")))
            .isEqualTo(DaneOverride.OFF);
        assertThat(parse(Map.of("mtasts.daneOverrides", "strict.example:required")).daneUsed()).isTrue();
        assertThat(parse(Map.of("mtasts.daneOverrides", "legacy.example:off")).daneUsed()).isFalse();
        assertThat(parse(Map.of("mtasts.dane", "true", "mtasts.enabled", "false")).daneUsed()).isFalse();
    }

    @Test
    void trustShouldNameTheParametersWhenTheStoreCannotBeRead() {
        MtaStsDeliverySettings settings = parse(Map.of("mtasts.trustStore", "/nonexistent/trust.p12"));

        assertThatThrownBy(settings::trust)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("mtasts.trustStore")
            .hasMessageContaining("/nonexistent/trust.p12");
    }

    @Test
    void opportunisticTlsFalseShouldKeepStockStrictness() {
        assertThat(parse(Map.of("mtasts.opportunisticTls", "False")).opportunisticTls()).isFalse();
        assertThat(parse(Map.of("mtasts.opportunisticTls", "false")))
            .isNotEqualTo(MtaStsDeliverySettings.defaults());
    }

    @Test
    void tlsRequiredHeaderShouldAcceptEachValueInAnyCase() {
        assertThat(parse(Map.of("mtasts.tlsRequiredHeader", "ANY")).tlsRequiredHeader()).isEqualTo(TlsRequiredHeader.ANY);
        assertThat(parse(Map.of("mtasts.tlsRequiredHeader", " never ")).tlsRequiredHeader())
            .isEqualTo(TlsRequiredHeader.NEVER);
        assertThat(parse(Map.of("mtasts.tlsRequiredHeader", "authenticated")).tlsRequiredHeader())
            .isEqualTo(TlsRequiredHeader.AUTHENTICATED);
    }

    @Test
    void tlsRequiredNoShouldMakeTlsOptional() {
        MtaStsDeliverySettings settings = MtaStsDeliverySettings.defaults();

        assertThat(settings.isTlsOptional(new String[] {" no "})).isTrue();
        assertThat(settings.isTlsOptional(new String[] {"Yes"})).isFalse();
        assertThat(settings.isTlsOptional(null)).isFalse();
    }
}
