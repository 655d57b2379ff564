package io.github.jamesmtasts.tlsrpt.recorder;

import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;

/**
 * The JVM that {@link RecorderCrashSafetyTest} kills: records sessions into an embedded database without end and
 * prints {@code ACKED <n>} each time all of the first n records are acknowledged. A second thread keeps recording
 * without waiting, so that the kill lands while batches are being written.
 */
public final class RecordingChild {

    static final String UNACKNOWLEDGED_DOMAIN = "unacknowledged.crash.test";

    private RecordingChild() {
    }

    public static void main(String[] args) throws Exception {
        Database database = Database.open(DatabaseSettings.embedded(Paths.get(args[0])));
        BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(JdbcResultStore.open(database),
            Clock.systemUTC(), RecorderSettings.defaults().withFlushInterval(Duration.ofMillis(2)).withMaxPendingKeys(50));
        List<SessionResult> results = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            ReportPolicy policy = ReportPolicy.noPolicyFound("d" + d + ".crash.test");
            results.add(SessionResult.success(policy));
            results.add(SessionResult.failure(policy, FailureDetails.builder(ResultType.STARTTLS_NOT_SUPPORTED)
                .receivingMxHostname("mx.d" + d + ".crash.test").build()));
        }
        // Counted apart (another domain), so that only acknowledged records are checked after the kill.
        SessionResult unacknowledged = SessionResult.success(ReportPolicy.noPolicyFound(UNACKNOWLEDGED_DOMAIN));
        Thread background = new Thread(() -> {
            while (true) {
                recorder.record(unacknowledged);
            }
        }, "unacknowledged-load");
        background.setDaemon(true);
        background.start();
        long acked = 0;
        while (true) {
            List<CompletionStage<Void>> stages = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                stages.add(recorder.record(results.get(i % results.size())));
            }
            CompletableFuture.allOf(stages.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new)).join();
            acked += stages.size();
            System.out.println("ACKED " + acked);
            System.out.flush();
        }
    }
}
