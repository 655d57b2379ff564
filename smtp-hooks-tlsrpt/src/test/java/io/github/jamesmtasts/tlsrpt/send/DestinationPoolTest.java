package io.github.jamesmtasts.tlsrpt.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class DestinationPoolTest {

    @Test
    void waitBoundShouldCoverOneWorstCasePerRoundOfThreadsPlusTheMargin() {
        try (DestinationPool pool = DestinationPool.of(4, Duration.ofMinutes(2), "test-send")) {
            assertThat(pool.waitBound(1)).isEqualTo(Duration.ofMinutes(2).plus(DestinationPool.MARGIN));
            assertThat(pool.waitBound(4)).isEqualTo(Duration.ofMinutes(2).plus(DestinationPool.MARGIN));
            assertThat(pool.waitBound(5)).isEqualTo(Duration.ofMinutes(4).plus(DestinationPool.MARGIN));
            assertThat(pool.waitBound(25)).isEqualTo(Duration.ofMinutes(14).plus(DestinationPool.MARGIN));
        }
    }

    @Test
    void threadsOutsideOneToSixtyFourShouldBeRefused() {
        assertThatThrownBy(() -> DestinationPool.of(0, Duration.ofMinutes(2), "test-send"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 64, got 0");
        assertThatThrownBy(() -> DestinationPool.of(65, Duration.ofMinutes(2), "test-send"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 64, got 65");
    }

    @Test
    void resultsShouldKeepTheirOrderAndAFailedTaskShouldNotHideTheOthers() {
        try (DestinationPool pool = DestinationPool.of(2, Duration.ofMinutes(2), "test-send")) {
            List<Future<String>> futures = List.of(pool.submit(() -> "a"), pool.submit(() -> {
                throw new IllegalStateException("boom");
            }), pool.submit(() -> "c"));

            assertThat(pool.await(futures, 3, "test")).containsExactly(Optional.of("a"), Optional.empty(),
                Optional.of("c"));
        }
    }

    @Test
    void closedPoolShouldRefuseNewTasksWithoutThrowing() {
        DestinationPool pool = DestinationPool.of(1, Duration.ofMinutes(2), "test-send");
        pool.close();

        Future<String> refused = pool.submit(() -> "late");

        assertThat(pool.await(List.of(refused), 1, "test")).containsExactly(Optional.empty());
    }
}
