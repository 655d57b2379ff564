package io.github.jamesmtasts.mtasts.cache;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.policy.StsPolicyParser;

class CachedPolicyTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456789Z");

    static CachedPolicy cached(String text) {
        return CachedPolicy.fetched(name("example.test"), "id1", StsPolicyParser.parse(text).policy().get(), text, T0);
    }

    static Stream<Arguments> texts() {
        return Stream.of(
            Arguments.of("P 3.2 CRLF lines", "version: STSv1\r\nmode: testing\r\nmx: mx.example.test\r\nmax_age: 600\r\n"),
            Arguments.of("P 3.2 LF lines", "version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 600\n"),
            Arguments.of("P 3.2 mixed line ends", "version: STSv1\r\nmode: testing\nmx: mx.example.test\nmax_age: 600\n"),
            Arguments.of("P 3.2 no final line end", "version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 600"),
            Arguments.of("P 3.2 blank lines", "version: STSv1\n\nmode: testing\nmx: mx.example.test\nmax_age: 600\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void policyTextShouldBeExactlyTheFetchedText(String rule, String text) {
        assertThat(cached(text).policyText()).isEqualTo(text);
        assertThat(cached(text).checked(T0.plusSeconds(5)).policyText()).isEqualTo(text);
    }

    @Test
    void fetchedPolicyShouldExpireAfterMaxAgeAtMillisecondPrecision() {
        CachedPolicy policy = cached("version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 600\n");

        assertThat(policy.fetchedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
        assertThat(policy.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:10:00.123Z"));
        assertThat(policy.isExpired(policy.expiresAt().minusMillis(1))).isFalse();
        assertThat(policy.isExpired(policy.expiresAt())).isTrue();
    }

    @Test
    void failuresShouldCountUpAndACheckShouldResetThem() {
        CachedPolicy policy = cached("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 600\n");

        CachedPolicy failed = policy.failed(T0.plusSeconds(60), "SERVFAIL", false).failed(T0.plusSeconds(120), "HTTP 500", true);

        assertThat(failed.consecutiveFailures()).isEqualTo(2);
        assertThat(failed.lastFailure()).contains("HTTP 500");
        assertThat(failed.lastCheckedAt()).isEqualTo(Instant.parse("2026-01-01T00:02:00.123Z"));
        assertThat(failed.checked(T0.plus(Duration.ofMinutes(3))).consecutiveFailures()).isZero();
        assertThat(failed.checked(T0.plus(Duration.ofMinutes(3))).lastFailure()).isEmpty();
    }

    @Test
    void lastUseShouldNeverMoveBackward() {
        CachedPolicy policy = cached("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 600\n")
            .usedAt(T0.plusSeconds(100));

        assertThat(policy.usedAt(T0.plusSeconds(50))).isSameAs(policy);
    }

    @Test
    void sharingShouldAcceptOnlyAnEqualPolicy() {
        CachedPolicy policy = cached("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 600\n");
        StsPolicy equal = StsPolicyParser.parse("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 600").policy().get();
        StsPolicy other = StsPolicyParser.parse("version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 600").policy().get();

        assertThat(policy.sharing(equal)).isEqualTo(policy);
        assertThat(policy.sharing(equal).policy()).isSameAs(equal);
        assertThatThrownBy(() -> policy.sharing(other)).isInstanceOf(IllegalArgumentException.class);
    }
}
