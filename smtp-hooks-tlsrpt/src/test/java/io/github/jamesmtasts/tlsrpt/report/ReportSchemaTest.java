package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

class ReportSchemaTest {

    static Stream<Arguments> conformingSamples() {
        return Stream.of(
            "dmarc-report-viewer--google.json", "dmarc-report-viewer--microsoft.json",
            "dmarc-report-viewer--no-policy.json", "dmarc-report-viewer--no_ip_and_mx.json",
            "dmarc-report-viewer--rfc-example.json", "parsedmarc--mail.ru.json", "parsedmarc--smtp_tls.json",
            "sebastka-tlsrpt--google-sts.json", "sebastka-tlsrpt--microsoft-tlsa-sts.json",
            "stalwart-mail-auth--rpt01.json", "stalwart-mail-auth--rpt02.json", "tlsrpt-rs--mail.ru.json")
            .map(file -> Arguments.of("J 4.4 real report " + file, file));
    }

    static Stream<Arguments> nonConformingSamples() {
        return Stream.of(
            Arguments.of("J 4.4 contact-info null", "dmarc-report-viewer--no-contact.json", "contact-info"),
            Arguments.of("J 4.4 mx-host as string (pre-errata)", "parsedmarc--rfc8460.json", "mx-host"),
            Arguments.of("J 4.4 missing policy-domain and failure total", "stalwart-mail-auth--rpt03.json",
                "policy-domain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformingSamples")
    void realReportShouldSatisfyTheSchema(String name, String file) {
        assertThat(Rfc8460Schema.violations(ReportFixtures.resource("/tlsrpt/samples/" + file))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonConformingSamples")
    void deviatingReportShouldViolateTheSchema(String name, String file, String member) {
        assertThat(Rfc8460Schema.violations(ReportFixtures.resource("/tlsrpt/samples/" + file)))
            .anySatisfy(message -> assertThat(message).contains(member));
    }

    @Test
    void builtReportShouldSatisfyTheSchema() {
        assertThat(Rfc8460Schema.violations(ReportJson.toJson(ReportFixtures.sampleReport()))).isEmpty();
    }

    @Test
    void builtReportShouldSatisfyTheSchemaWhenOnlyNoPolicyFoundWasRecorded() {
        TlsReport report = TlsReportBuilder.stableIds().build(ReportFixtures.IDENTITY, LocalDate.of(2024, 2, 29),
            "leap.test", List.of(PolicyAggregate.of(ReportPolicy.noPolicyFound("leap.test"), 1, java.util.Map.of())));

        assertThat(Rfc8460Schema.violations(ReportJson.toJson(report))).isEmpty();
    }

    @Test
    void schemaShouldRejectNullAndEmptyStrings() {
        String json = new String(ReportJson.toJson(ReportFixtures.sampleReport()), java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"receiving-mx-helo\":\"mx2.enforce.test\"", "\"receiving-mx-helo\":\"\"")
            .replace("\"receiving-ip\":\"192.0.2.10\"", "\"receiving-ip\":null");

        assertThat(Rfc8460Schema.violations(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).hasSizeGreaterThanOrEqualTo(2);
    }
}
