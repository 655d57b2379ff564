package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.time.LocalDate;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ReportJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode tree(TlsReport report) throws Exception {
        return MAPPER.readTree(ReportJson.toJson(report));
    }

    @Test
    void reportShouldSurviveJsonRoundTrip() throws Exception {
        TlsReport report = ReportFixtures.sampleReport();

        assertThat(ReportJsonReader.read(ReportJson.toJson(report))).isEqualTo(report);
    }

    @Test
    void reportShouldSurviveGzipRoundTrip() throws Exception {
        TlsReport report = ReportFixtures.sampleReport();

        assertThat(ReportJsonReader.readGzip(ReportJson.toGzip(report))).isEqualTo(report);
    }

    @Test
    void dateRangeShouldCoverTheWholeUtcDay() throws Exception {
        JsonNode range = tree(ReportFixtures.sampleReport()).get("date-range");

        assertThat(range.get("start-datetime").asText()).isEqualTo("2026-11-22T00:00:00Z");
        assertThat(range.get("end-datetime").asText()).isEqualTo("2026-11-22T23:59:59Z");
    }

    @Test
    void jsonShouldContainNoNullAndNoEmptyString() {
        String json = new String(ReportJson.toJson(ReportFixtures.sampleReport()), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("null", "\"\"");
    }

    @Test
    void policiesAndListsShouldBeArraysWhenThereIsOneElement() throws Exception {
        TlsReport report = TlsReportBuilder.stableIds().build(ReportFixtures.IDENTITY, ReportFixtures.DAY,
            ReportFixtures.DOMAIN, List.of(ReportFixtures.stsWithFailures()));
        JsonNode root = tree(report);

        assertThat(root.get("policies").isArray()).isTrue();
        assertThat(root.get("policies").get(0).get("policy").get("mx-host").isArray()).isTrue();
        assertThat(root.get("policies").get(0).get("policy").get("policy-string").isArray()).isTrue();
        assertThat(root.get("policies").get(0).get("failure-details").isArray()).isTrue();
    }

    @Test
    void failureDetailsAndEmptyListsShouldBeOmittedWhenThereAreNone() throws Exception {
        JsonNode noPolicy = tree(ReportFixtures.sampleReport()).get("policies").get(1);

        assertThat(noPolicy.get("policy").get("policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(noPolicy.has("failure-details")).isFalse();
        assertThat(noPolicy.get("policy").has("mx-host")).isFalse();
        assertThat(noPolicy.get("policy").has("policy-string")).isFalse();
        assertThat(noPolicy.get("policy").get("policy-domain").asText()).isEqualTo("enforce.test");
    }

    @Test
    void failureTotalShouldBeTheSumOfFailedSessionCounts() throws Exception {
        JsonNode sts = tree(ReportFixtures.sampleReport()).get("policies").get(0);

        assertThat(sts.get("summary").get("total-failure-session-count").asLong()).isEqualTo(103);
        assertThat(sts.get("summary").get("total-successful-session-count").asLong()).isEqualTo(5326);
        assertThat(sts.get("failure-details").get(0).get("receiving-mx-hostname").asText()).isEqualTo("mx1.enforce.test");
    }

    @Test
    void reportIdShouldBeAValidMsgIdLeftPartAndUniquePerDay() {
        TlsReportBuilder builder = TlsReportBuilder.stableIds();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            LocalDate day = ReportFixtures.DAY.plusDays(i);
            String id = builder.build(ReportFixtures.IDENTITY, day, ReportFixtures.DOMAIN,
                List.of(ReportFixtures.noPolicy())).reportId();
            // RFC 5322 3.6.4 id-left = dot-atom-text; RFC 8460 4.4: no ':'
            assertThat(id).matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
                .doesNotContain(":").startsWith(day + "_enforce.test_");
            ids.add(id);
        }
        assertThat(ids).hasSize(100);
    }

    @Test
    void gzipShouldBeDeterministicForTheSameReport() {
        TlsReport report = ReportFixtures.sampleReport();

        assertThat(ReportJson.toGzip(report)).isEqualTo(ReportJson.toGzip(report));
    }
}
