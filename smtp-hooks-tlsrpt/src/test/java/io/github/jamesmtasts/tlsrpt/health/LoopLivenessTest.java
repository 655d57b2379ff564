package io.github.jamesmtasts.tlsrpt.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

class LoopLivenessTest {

    private static final Duration BOUND = Duration.ofMinutes(15);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private final LoopLiveness liveness = LoopLiveness.of("test-loop", clock, BOUND);

    @Test
    void loopShouldBeUnhealthyBeforeItStarts() {
        assertThat(liveness.status().kind()).isEqualTo(LoopStatus.Kind.UNHEALTHY);
        assertThat(liveness.status().reason()).hasValueSatisfying(r -> assertThat(r).contains("test-loop", "not started"));
    }

    @Test
    void startedLoopShouldBeHealthyWithinTheBoundBeforeItsFirstRun() {
        liveness.started();
        clock.advance(BOUND);

        assertThat(liveness.status()).isEqualTo(LoopStatus.healthy());
    }

    @Test
    void loopShouldBeUnhealthyWhenNoRunCompletedWithinTheBound() {
        liveness.started();
        liveness.runStarted();
        liveness.runCompleted();
        clock.advance(Duration.ofMinutes(10));
        liveness.runStarted();
        liveness.runFailed(new IllegalStateException("store down"));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        LoopStatus status = liveness.status();

        assertThat(status.kind()).isEqualTo(LoopStatus.Kind.UNHEALTHY);
        assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).contains("no run completed", "store down"));
    }

    @Test
    void runCompletingAgainShouldMakeTheLoopHealthyAgain() {
        liveness.started();
        clock.advance(BOUND.plusSeconds(1));
        liveness.runStarted();
        liveness.runCompleted();

        assertThat(liveness.status()).isEqualTo(LoopStatus.healthy());
    }

    @Test
    void stoppedLoopShouldBeUnhealthyNamingWhy() {
        liveness.started();
        liveness.stopped("thread ended");

        assertThat(liveness.status()).isEqualTo(LoopStatus.unhealthy("test-loop stopped: thread ended"));
    }

    @Test
    void runThatSkippedItemsShouldBeDegradedNamingTheItemUntilACleanRun() {
        liveness.started();
        liveness.runStarted();
        liveness.itemFailed("report for hostile.test", new StackOverflowError());
        liveness.runCompleted();

        LoopStatus degraded = liveness.status();
        liveness.runStarted();
        liveness.runCompleted();

        assertThat(degraded.kind()).isEqualTo(LoopStatus.Kind.DEGRADED);
        assertThat(degraded.reason()).hasValueSatisfying(r -> assertThat(r).contains("1 item", "hostile.test",
            "StackOverflowError"));
        assertThat(liveness.status()).isEqualTo(LoopStatus.healthy());
    }

    @Test
    void everySkippedItemAndFailedRunShouldBeCountedAndReportedToListeners() {
        List<String> counted = new CopyOnWriteArrayList<>();
        liveness.onFailure(counted::add);

        liveness.itemFailed("a", new OutOfMemoryError("test"));
        liveness.runFailed(new RuntimeException("b"));
        liveness.runFailedQuietly(new RuntimeException("c"));

        assertThat(liveness.failures()).isEqualTo(3);
        assertThat(counted).containsExactly("test-loop", "test-loop", "test-loop");
    }

    @Test
    void loggedStackTracesShouldBeCutSoThatAStackOverflowDoesNotFloodTheLog() {
        StackOverflowError deep = new StackOverflowError();
        StackTraceElement[] frames = new StackTraceElement[1_024];
        Arrays.fill(frames, new StackTraceElement("Parser", "match", "Parser.java", 1));
        deep.setStackTrace(frames);
        RuntimeException wrapper = new RuntimeException("wrapped", deep);
        wrapper.setStackTrace(frames);

        Throwable logged = LoopLiveness.trimmed(wrapper);

        assertThat(logged.getStackTrace()).hasSize(LoopLiveness.MAX_LOGGED_FRAMES);
        assertThat(logged.getCause().getStackTrace()).hasSize(LoopLiveness.MAX_LOGGED_FRAMES);
    }
}
