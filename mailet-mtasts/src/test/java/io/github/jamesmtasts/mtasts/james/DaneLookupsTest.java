package io.github.jamesmtasts.mtasts.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;

class DaneLookupsTest {

    private final DaneLookup lookup = domain -> DaneDomain.notApplicable(domain, "test");

    @Test
    void openedShouldStayEmptyAndNeverOpenTheLookupUntilAMailetAsksForIt() {
        AtomicInteger opens = new AtomicInteger();
        DaneLookups lookups = DaneLookups.of(() -> {
            opens.incrementAndGet();
            return Optional.of(lookup);
        });

        assertThat(lookups.opened()).isEmpty();
        assertThat(opens).hasValue(0);

        assertThat(lookups.get()).containsSame(lookup);
        assertThat(lookups.opened()).containsSame(lookup);
        assertThat(opens).hasValue(1);
    }

    @Test
    void openedShouldStayEmptyWhenNoLookupCanBeBuilt() {
        DaneLookups lookups = DaneLookups.none();

        assertThat(lookups.get()).isEmpty();
        assertThat(lookups.opened()).isEmpty();
    }
}
