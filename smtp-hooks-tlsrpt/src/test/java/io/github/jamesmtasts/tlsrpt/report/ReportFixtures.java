package io.github.jamesmtasts.tlsrpt.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** Reports and counters shared by the report and send tests. */
public final class ReportFixtures {

    public static final ReportIdentity IDENTITY =
        ReportIdentity.of("James Test Org", "tlsrpt@reports.sender.test", "sender.test");
    public static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    public static final String DOMAIN = "enforce.test";

    private ReportFixtures() {
    }

    public static ReportPolicy stsPolicy() {
        return ReportPolicy.sts(DOMAIN, List.of("version: STSv1", "mode: enforce", "mx: *.enforce.test", "max_age: 86400"),
            List.of("*.enforce.test"));
    }

    public static PolicyAggregate stsWithFailures() {
        Map<FailureDetails, Long> failures = new LinkedHashMap<>();
        failures.put(FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
            .sendingMtaIp("2001:db8:abcd:12::1").receivingMxHostname("mx1.enforce.test.").receivingIp("192.0.2.10")
            .build(), 100L);
        failures.put(FailureDetails.builder(ResultType.VALIDATION_FAILURE)
            .sendingMtaIp("198.51.100.62").receivingMxHostname("mx2.enforce.test").receivingMxHelo("mx2.enforce.test")
            .receivingIp("203.0.113.58").additionalInformation("https://sender.test/help#validation")
            .failureReasonCode("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED").build(), 3L);
        return PolicyAggregate.of(stsPolicy(), 5326, failures);
    }

    public static PolicyAggregate noPolicy() {
        return PolicyAggregate.of(ReportPolicy.noPolicyFound(DOMAIN), 7, Map.of());
    }

    public static TlsReport sampleReport() {
        return TlsReportBuilder.stableIds().build(IDENTITY, DAY, DOMAIN, List.of(stsWithFailures(), noPolicy()));
    }

    public static byte[] resource(String path) {
        try (InputStream in = ReportFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
