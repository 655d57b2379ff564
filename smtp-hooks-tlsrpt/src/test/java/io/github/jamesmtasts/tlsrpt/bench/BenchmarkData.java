package io.github.jamesmtasts.tlsrpt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/** A day of outbound mail to many domains: mostly successes, a few kinds of failure per domain. */
final class BenchmarkData {

    private BenchmarkData() {
    }

    /** Four distinct results per domain: success, and three failures with different details. */
    static List<SessionResult> results(int domains) {
        List<SessionResult> results = new ArrayList<>();
        for (int d = 0; d < domains; d++) {
            String domain = "d" + d + ".bench.test";
            ReportPolicy policy = ReportPolicy.sts(domain, List.of("version: STSv1", "mode: enforce",
                "mx: mx1." + domain, "mx: mx2." + domain, "max_age: 604800"), List.of("mx1." + domain, "mx2." + domain));
            results.add(SessionResult.success(policy));
            results.add(SessionResult.failure(policy, FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
                .sendingMtaIp("192.0.2.1").receivingMxHostname("mx1." + domain).receivingIp("198.51.100.1").build()));
            results.add(SessionResult.failure(policy, FailureDetails.builder(ResultType.VALIDATION_FAILURE)
                .sendingMtaIp("192.0.2.1").receivingMxHostname("mx2." + domain).receivingIp("198.51.100.2")
                .failureReasonCode("handshake_failure").build()));
            results.add(SessionResult.failure(policy, FailureDetails.builder(ResultType.STARTTLS_NOT_SUPPORTED)
                .sendingMtaIp("192.0.2.1").receivingMxHostname("mx2." + domain).receivingIp("198.51.100.3").build()));
        }
        return results;
    }

    static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
