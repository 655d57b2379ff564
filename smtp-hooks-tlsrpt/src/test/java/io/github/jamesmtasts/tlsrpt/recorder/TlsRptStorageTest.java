package io.github.jamesmtasts.tlsrpt.recorder;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.DaySummary;

class TlsRptStorageTest {

    @TempDir
    Path folder;

    @Test
    void closeShouldWriteTheLastCountsAndReleaseTheFileForTheNextStart() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-22T08:00:00Z"));
        DatabaseSettings settings = DatabaseSettings.embedded(folder.resolve("james-mtasts"));
        try (Database database = Database.open(settings);
             TlsRptStorage storage = TlsRptStorage.on(database, clock, RecorderSettings.defaults())) {
            storage.recorder().record(SessionResult.success(STS_A));
            storage.recorder().record(SessionResult.success(STS_A));
        }

        try (Database database = Database.open(settings);
             TlsRptStorage restarted = TlsRptStorage.on(database, clock, RecorderSettings.defaults())) {
            assertThat(restarted.store().summaries(LocalDate.of(2026, 11, 22)))
                .containsExactly(Map.entry("a.test", DaySummary.of(2, 0)));
        }
    }
}
