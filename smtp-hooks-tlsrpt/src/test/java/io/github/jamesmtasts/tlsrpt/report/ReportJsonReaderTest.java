package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

class ReportJsonReaderTest {

    static Stream<Arguments> readableSamples() {
        return Stream.of(
            Arguments.of("J 4.4 Google", "dmarc-report-viewer--google.json", 1),
            Arguments.of("J 4.4 Microsoft sts + tlsa", "dmarc-report-viewer--microsoft.json", 2),
            Arguments.of("J 4.4 contact-info null is tolerated", "dmarc-report-viewer--no-contact.json", 1),
            Arguments.of("J 4.4 no-policy-found", "dmarc-report-viewer--no-policy.json", 1),
            Arguments.of("J 4.4 details without IPs", "dmarc-report-viewer--no_ip_and_mx.json", 1),
            Arguments.of("J 4.4 RFC appendix B, errata form", "dmarc-report-viewer--rfc-example.json", 1),
            Arguments.of("J 4.4 Mail.ru, summary disagrees with details", "parsedmarc--mail.ru.json", 1),
            Arguments.of("J 4.4 RFC appendix B, mx-host as string", "parsedmarc--rfc8460.json", 1),
            Arguments.of("J 4.4 Google-style failures", "parsedmarc--smtp_tls.json", 1),
            Arguments.of("J 4.4 Google 2026", "sebastka-tlsrpt--google-sts.json", 1),
            Arguments.of("J 4.4 Microsoft 2026", "sebastka-tlsrpt--microsoft-tlsa-sts.json", 2),
            Arguments.of("J 4.4 Stalwart rpt01", "stalwart-mail-auth--rpt01.json", 1),
            Arguments.of("J 4.4 Stalwart rpt02", "stalwart-mail-auth--rpt02.json", 1),
            Arguments.of("J 4.4 Mail.ru Go error text", "tlsrpt-rs--mail.ru.json", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableSamples")
    void realReportShouldBeRead(String name, String file, int policies) throws Exception {
        TlsReport report = ReportJsonReader.read(ReportFixtures.resource("/tlsrpt/samples/" + file));

        assertThat(report.policies()).hasSize(policies);
        assertThat(ReportJsonReader.read(ReportJson.toJson(report))).isEqualTo(report);
    }

    @Test
    void summaryShouldBeKeptAsWrittenWhenDetailsDisagree() throws Exception {
        TlsReport report = ReportJsonReader.read(ReportFixtures.resource("/tlsrpt/samples/parsedmarc--mail.ru.json"));

        PolicyReport policy = report.policies().get(0);
        assertThat(policy.totalFailureSessionCount()).isEqualTo(1);
        assertThat(policy.failureDetails().values()).containsExactly(1L, 1L);
        assertThat(policy.failureDetails().keySet()).allSatisfy(d ->
            assertThat(d.resultType()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR));
    }

    @Test
    void mxHostStringShouldBeReadAsOneElementList() throws Exception {
        TlsReport report = ReportJsonReader.read(ReportFixtures.resource("/tlsrpt/samples/parsedmarc--rfc8460.json"));

        assertThat(report.policies().get(0).policy().mxHosts()).containsExactly("*.mail.company-y.example");
    }

    @Test
    void negativeFixtureShouldBeRejectedNamingTheMissingMember() {
        assertThatThrownBy(() -> ReportJsonReader.read(ReportFixtures.resource("/tlsrpt/samples/stalwart-mail-auth--rpt03.json")))
            .isInstanceOf(ReportFormatException.class)
            .hasMessageContaining("policy-domain");
    }

    @Test
    void unknownResultTypeShouldBeSkippedWhileTheSummaryIsKept() throws Exception {
        String json = "{\"organization-name\":\"X\",\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00\","
            + "\"end-datetime\":\"2023-01-10T23:59:59\"},\"contact-info\":\"a@x.test\",\"report-id\":\"r1\","
            + "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"x.test\"},"
            + "\"summary\":{\"total-successful-session-count\":0,\"total-failure-session-count\":3},"
            + "\"failure-details\":[{\"result-type\":\"quantum-downgrade\",\"failed-session-count\":2},"
            + "{\"result-type\":\"certificate-expired\",\"failed-session-count\":1,\"receiving-ip\":null}]}]}";

        TlsReport report = ReportJsonReader.read(json.getBytes(StandardCharsets.UTF_8));

        assertThat(report.dateRange().start()).isEqualTo(Instant.parse("2023-01-10T00:00:00Z"));
        PolicyReport policy = report.policies().get(0);
        assertThat(policy.policy().policyType()).isEqualTo(PolicyType.STS);
        assertThat(policy.totalFailureSessionCount()).isEqualTo(3);
        assertThat(List.copyOf(policy.failureDetails().keySet())).singleElement()
            .satisfies(d -> assertThat(d.resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED))
            .satisfies(d -> assertThat(d.receivingIp()).isEmpty());
    }

    @Test
    void notJsonShouldBeAFormatError() {
        assertThatThrownBy(() -> ReportJsonReader.read("{".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(ReportFormatException.class);
        assertThatThrownBy(() -> ReportJsonReader.readGzip("{}".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(ReportFormatException.class);
    }
}
