package io.github.jamesmtasts.mtasts.resolve;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WarmCacheTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final WarmCache cache = new WarmCache();

    @Test
    void negativeEntriesShouldBeSweptOnceTheirCheckIsDueWithoutWaitingForMaintenance() {
        cache.putNoPolicy(name("early.test"), Optional.empty(), T0, T0.plus(Duration.ofMinutes(5)));
        Instant later = T0.plus(Duration.ofMinutes(10));

        for (int i = 1; i < WarmCache.NEGATIVE_SWEEP_EVERY; i++) {
            cache.putNoPolicy(name("d" + i + ".test"), Optional.empty(), later, later.plus(Duration.ofMinutes(5)));
        }

        assertThat(cache.get(name("early.test"))).isNull();
        assertThat(cache.size()).isEqualTo(WarmCache.NEGATIVE_SWEEP_EVERY - 1);
    }

    @Test
    void negativeEntryShouldAnswerNoPolicyUntilItsCheckIsDue() {
        cache.putNoPolicy(name("none.test"), Optional.empty(), T0, T0.plus(Duration.ofMinutes(5)));

        WarmCache.Entry entry = cache.get(name("none.test"));

        assertThat(entry.decision()).isEqualTo(PolicyDecision.noPolicy(name("none.test")));
        assertThat(entry.isWarm(T0.plus(Duration.ofMinutes(5)).minusMillis(1).toEpochMilli())).isTrue();
        assertThat(entry.isWarm(T0.plus(Duration.ofMinutes(5)).toEpochMilli())).isFalse();
    }
}
