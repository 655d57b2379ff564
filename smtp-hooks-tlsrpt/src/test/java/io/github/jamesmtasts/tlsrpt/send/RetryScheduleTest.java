package io.github.jamesmtasts.tlsrpt.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant FIRST = Instant.parse("2026-11-23T01:00:00Z");

    private final RetrySchedule schedule = RetrySchedule.rfc8460();

    @Test
    void delaysShouldStartAtFiveMinutesAndDouble() {
        assertThat(schedule.nextAttempt(FIRST, 1, FIRST)).contains(FIRST.plus(Duration.ofMinutes(5)));
        Instant second = FIRST.plus(Duration.ofMinutes(5));
        assertThat(schedule.nextAttempt(FIRST, 2, second)).contains(second.plus(Duration.ofMinutes(10)));
    }

    @Test
    void retriesShouldStopTwentyFourHoursAfterTheFirstAttempt() {
        List<Instant> attempts = new ArrayList<>();
        Instant now = FIRST;
        attempts.add(now);
        Optional<Instant> next = schedule.nextAttempt(FIRST, 1, now);
        while (next.isPresent()) {
            now = next.get();
            attempts.add(now);
            next = schedule.nextAttempt(FIRST, attempts.size(), now);
        }

        // 0, 5, 15, 35, 75, 155, 315, 635, 1275 minutes, then a last try exactly at 24 h.
        assertThat(attempts).hasSize(10);
        assertThat(attempts.get(attempts.size() - 1)).isEqualTo(FIRST.plus(Duration.ofHours(24)));
        assertThat(attempts.get(8)).isEqualTo(FIRST.plus(Duration.ofMinutes(1275)));
    }

    @Test
    void manyFailuresShouldNotOverflow() {
        assertThat(schedule.nextAttempt(FIRST, Integer.MAX_VALUE, FIRST.plusSeconds(1)))
            .contains(FIRST.plus(Duration.ofHours(24)));
    }
}
