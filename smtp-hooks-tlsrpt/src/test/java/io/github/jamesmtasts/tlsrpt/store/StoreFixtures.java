package io.github.jamesmtasts.tlsrpt.store;

import java.util.List;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** Policies and failure details as the delivery records them. */
public final class StoreFixtures {

    public static final ReportPolicy STS_A = ReportPolicy.sts("a.test",
        List.of("version: STSv1", "mode: enforce", "mx: mx1.a.test", "mx: *.backup.a.test", "max_age: 604800"),
        List.of("mx1.a.test", "*.backup.a.test"));
    /** The same domain after it changed its policy during the day: a second policy block. */
    public static final ReportPolicy STS_A_TESTING = ReportPolicy.sts("a.test",
        List.of("version: STSv1", "mode: testing", "mx: mx1.a.test", "max_age: 86400"), List.of("mx1.a.test"));
    public static final ReportPolicy NONE_B = ReportPolicy.noPolicyFound("b.test");

    public static final FailureDetails EXPIRED = FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
        .sendingMtaIp("192.0.2.10").receivingMxHostname("mx1.a.test").receivingIp("198.51.100.7").build();
    public static final FailureDetails UNTRUSTED = FailureDetails.builder(ResultType.CERTIFICATE_NOT_TRUSTED)
        .sendingMtaIp("2001:db8::10").receivingMxHostname("mx2.backup.a.test").receivingMxHelo("mx2.example.net")
        .receivingIp("2001:db8::25").additionalInformation("https://a.test/why")
        .failureReasonCode("unable_to_get_issuer_cert").build();
    public static final FailureDetails FETCH_ERROR = FailureDetails.builder(ResultType.STS_POLICY_FETCH_ERROR)
        .sendingMtaIp("192.0.2.10").failureReasonCode("http-404").build();

    private StoreFixtures() {
    }
}
