package io.github.jamesmtasts.tlsrpt.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;

/** Design 6: a crash must not lose acknowledged records. The crash is a SIGKILL of a JVM writing to the file. */
class RecorderCrashSafetyTest {

    private static final long ACKED_BEFORE_KILL = 20_000;

    @TempDir
    Path folder;

    @Test
    void acknowledgedRecordsShouldSurviveKillingTheJvm() throws Exception {
        Path file = folder.resolve("crash");
        Process child = new ProcessBuilder(List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "-Xmx256m",
            RecordingChild.class.getName(), file.toString()))
            .redirectError(folder.resolve("child.err").toFile())
            .start();
        long acked = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acked < ACKED_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ACKED ")) {
                    acked = Long.parseLong(line.substring("ACKED ".length()));
                }
            }
            // SIGKILL while the child keeps writing: no shutdown hook, no final flush, no H2 close. Records it
            // acknowledged after the last line read are not counted: the check stays a lower bound.
            child.destroyForcibly();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acked).as("child output, see %s", folder.resolve("child.err")).isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);

        try (Database reopened = Database.open(DatabaseSettings.embedded(file))) {
            long stored = reopened.withConnection(connection -> {
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT SUM(session_count) FROM tlsrpt_counter "
                         + "WHERE policy_domain <> '" + RecordingChild.UNACKNOWLEDGED_DOMAIN + "'")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(stored).as("sessions in the file after the kill").isGreaterThanOrEqualTo(acked);
        }
    }
}
