package io.github.jamesmtasts.tlsrpt.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.Result;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

class LoopHealthCheckTest {

    private static final ComponentName NAME = new ComponentName("test-loop");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private final LoopLiveness liveness = LoopLiveness.of("test-loop", clock, Duration.ofMinutes(15));
    private final LoopHealthCheck check = new LoopHealthCheck("test-loop", () -> Optional.of(liveness));

    private Result result() {
        return Mono.from(check.check()).block();
    }

    @Test
    void componentNameShouldBeTheLoopName() {
        assertThat(check.componentName()).isEqualTo(NAME);
    }

    @Test
    void runningLoopShouldBeHealthy() {
        liveness.started();
        liveness.runStarted();
        liveness.runCompleted();

        assertThat(result()).isEqualTo(Result.healthy(NAME));
    }

    @Test
    void overdueLoopShouldBeUnhealthyWithItsReason() {
        liveness.started();
        clock.advance(Duration.ofMinutes(16));

        Result result = result();

        assertThat(result.isUnHealthy()).isTrue();
        assertThat(result.getCause()).hasValueSatisfying(c -> assertThat(c).contains("no run completed"));
    }

    @Test
    void stoppedLoopShouldBeUnhealthy() {
        liveness.started();
        liveness.stopped("closed");

        assertThat(result()).isEqualTo(Result.unhealthy(NAME, "test-loop stopped: closed"));
    }

    @Test
    void loopThatSkippedItemsShouldBeDegraded() {
        liveness.started();
        liveness.runStarted();
        liveness.itemFailed("report for hostile.test", new StackOverflowError());
        liveness.runCompleted();

        assertThat(result().isDegraded()).isTrue();
    }

    @Test
    void loopThatIsNotConfiguredShouldBeHealthy() {
        LoopHealthCheck absent = new LoopHealthCheck("test-loop", Optional::empty);

        assertThat(Mono.from(absent.check()).block()).isEqualTo(Result.healthy(NAME));
    }
}
