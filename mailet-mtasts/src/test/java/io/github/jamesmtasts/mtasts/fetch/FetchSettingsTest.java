package io.github.jamesmtasts.mtasts.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;

class FetchSettingsTest {

    @Test
    void defaultsShouldFollowRfc8461Section33() {
        FetchSettings defaults = FetchSettings.defaults();

        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.maxBytes()).isEqualTo(65536);
        assertThat(defaults.strictMediaType()).isTrue();
        assertThat(defaults.trust()).isEmpty();
        assertThat(defaults.allowNetworks()).isEmpty();
        assertThat(defaults.port()).isEqualTo(443);
    }

    @Test
    void timeoutShouldOnlyBeTightened() {
        FetchSettings defaults = FetchSettings.defaults();

        assertThatThrownBy(() -> defaults.withTimeout(Duration.ofSeconds(61))).hasMessageContaining("at most 60 seconds");
        assertThatThrownBy(() -> defaults.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.withTimeout(Duration.ofSeconds(5)).timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void settingsShouldBeValuesThatNeverPrintPasswords() {
        FetchSettings settings = FetchSettings.defaults()
            .withTrust(TrustSource.of(Paths.get("/etc/james/trust.p12"), Optional.of(TrustSource.Type.PKCS12), Optional.of("s3cret")))
            .withAllowNetworks(List.of(Cidr.parse("10.0.0.0/8")));

        assertThat(settings).isEqualTo(FetchSettings.defaults()
            .withTrust(TrustSource.of(Paths.get("/etc/james/trust.p12"), Optional.of(TrustSource.Type.PKCS12), Optional.of("s3cret")))
            .withAllowNetworks(List.of(Cidr.parse("10.0.0.0/8"))));
        assertThat(settings).isNotEqualTo(FetchSettings.defaults());
        assertThat(settings.toString()).contains("trust.p12").contains("10.0.0.0/8").doesNotContain("s3cret");
    }
}
