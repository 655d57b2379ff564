package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

class TlsReportBuilderTest {

    private final TlsReportBuilder testee = TlsReportBuilder.stableIds();

    @Test
    void buildShouldCarryIdentityAndDay() {
        TlsReport report = testee.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, "ENFORCE.test.",
            List.of(ReportFixtures.noPolicy()));

        assertThat(report.organizationName()).isEqualTo("James Test Org");
        assertThat(report.contactInfo()).isEqualTo(Optional.of("tlsrpt@reports.sender.test"));
        assertThat(report.dateRange()).isEqualTo(DateRange.utcDay(ReportFixtures.DAY));
        assertThat(report.policies()).containsExactly(PolicyReport.of(ReportFixtures.noPolicy()));
    }

    @Test
    void buildShouldMergeAggregatesOfTheSamePolicy() {
        PolicyAggregate more = PolicyAggregate.of(ReportFixtures.stsPolicy(), 4,
            Map.of(ReportFixtures.stsWithFailures().failures().keySet().iterator().next(), 2L));

        TlsReport report = testee.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN,
            List.of(ReportFixtures.stsWithFailures(), more));

        assertThat(report.policies()).singleElement().satisfies(p -> {
            assertThat(p.totalSuccessfulSessionCount()).isEqualTo(5330);
            assertThat(p.totalFailureSessionCount()).isEqualTo(105);
            assertThat(p.failureDetails().values()).containsExactly(102L, 3L);
        });
    }

    @Test
    void buildShouldReportATlsaBlockBesideTheStsBlockOfTheSameDomain() {
        // RFC 8460 4.4 with RFC 7672: policy-type tlsa, the TLSA records as policy-string, the MX as mx-host.
        ReportPolicy tlsa = ReportPolicy.of(io.github.jamesmtasts.tlsrpt.model.PolicyType.TLSA, ReportFixtures.DOMAIN,
            List.of("3 1 1 " + "ab".repeat(32)), List.of("mx-b." + ReportFixtures.DOMAIN));
        FailureDetails dnssec = FailureDetails.builder(ResultType.DNSSEC_INVALID)
            .receivingMxHostname("mx-b." + ReportFixtures.DOMAIN).receivingIp("192.0.2.26").build();

        TlsReport report = testee.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN,
            List.of(ReportFixtures.stsWithFailures(), PolicyAggregate.of(tlsa, 4, Map.of(dnssec, 2L))));

        assertThat(report.policies()).hasSize(2);
        String json = new String(ReportJson.toJson(report), StandardCharsets.UTF_8);
        assertThat(json).contains("\"policy-type\":\"tlsa\"", "\"policy-string\":[\"3 1 1 " + "ab".repeat(32) + "\"]",
            "\"mx-host\":[\"mx-b." + ReportFixtures.DOMAIN + "\"]", "\"policy-type\":\"sts\"",
            "\"result-type\":\"dnssec-invalid\"");
    }

    @Test
    void stableIdsShouldRepeatForTheSameReportAndDifferOtherwise() {
        TlsReportBuilder stable = TlsReportBuilder.stableIds();
        List<PolicyAggregate> counters = List.of(ReportFixtures.noPolicy());

        String first = stable.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN, counters).reportId();
        String again = TlsReportBuilder.stableIds().build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN,
            counters).reportId();
        String nextDay = stable.build(ReportFixtures.IDENTITY, ReportFixtures.DAY.plusDays(1), ReportFixtures.DOMAIN,
            counters).reportId();

        assertThat(again).isEqualTo(first).matches("2026-11-22_enforce\\.test_[0-9a-f]{16}");
        assertThat(nextDay).isNotEqualTo(first);
    }

    @Test
    void buildShouldRefuseCountersOfAnotherDomain() {
        PolicyAggregate other = PolicyAggregate.of(ReportPolicy.noPolicyFound("other.test"), 1, Map.of());

        assertThatThrownBy(() -> testee.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN,
            List.of(other))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.test");
    }

    @Test
    void buildShouldRefuseAnEmptyReport() {
        assertThatThrownBy(() -> testee.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN, List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to report");
    }

    @Test
    void identityShouldRefuseAnEmptyOrganization() {
        assertThatThrownBy(() -> ReportIdentity.of(" ", "a@b.test", "b.test"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReportIdentity.of("Org", "a@b.test", "b test"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void proseStoredAsAdditionalInformationShouldBeReportedAsFailureReasonCode() {
        // RFC 8460 4.4: additional-information is a URI; older rows (and older writers) put the error text there.
        FailureDetails oldRow = FailureDetails.builder(ResultType.STS_WEBPKI_INVALID)
            .additionalInformation("certificate of mta-sts.enforce.test expired").build();
        FailureDetails newRow = FailureDetails.builder(ResultType.STS_WEBPKI_INVALID)
            .failureReasonCode("certificate of mta-sts.enforce.test expired").build();
        List<PolicyAggregate> counters = List.of(PolicyAggregate.of(ReportFixtures.stsPolicy(), 0, Map.of(oldRow, 2L)),
            PolicyAggregate.of(ReportFixtures.stsPolicy(), 0, Map.of(newRow, 1L)));

        TlsReport report = testee.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN, counters);

        assertThat(report.policies()).singleElement().satisfies(p ->
            assertThat(p.failureDetails()).containsExactly(Map.entry(newRow, 3L)));
        assertThat(new String(ReportJson.toJson(report), StandardCharsets.UTF_8))
            .doesNotContain("additional-information")
            .contains("\"failure-reason-code\":\"certificate of mta-sts.enforce.test expired\"");
    }

    @Test
    void proseNextToAReasonCodeShouldJoinIt() {
        FailureDetails both = FailureDetails.builder(ResultType.VALIDATION_FAILURE).failureReasonCode("handshake_failure")
            .additionalInformation("peer sent alert 40").build();

        TlsReport report = testee.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN,
            List.of(PolicyAggregate.of(ReportFixtures.stsPolicy(), 0, Map.of(both, 1L))));

        assertThat(report.policies().get(0).failureDetails().keySet()).singleElement().satisfies(d -> {
            assertThat(d.additionalInformation()).isEmpty();
            assertThat(d.failureReasonCode()).contains("handshake_failure: peer sent alert 40");
        });
    }

    @Test
    void additionalInformationThatIsAUriShouldStay() {
        TlsReport report = testee.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN,
            List.of(ReportFixtures.stsWithFailures()));

        assertThat(report.policies().get(0).failureDetails().keySet())
            .anySatisfy(d -> assertThat(d.additionalInformation()).contains("https://sender.test/help#validation"));
    }

    @Test
    void partialReportShouldHaveItsOwnReportIdDistinctFromTheDaysStableOne() {
        TlsReportBuilder stable = TlsReportBuilder.stableIds();
        List<PolicyAggregate> counters = List.of(ReportFixtures.noPolicy());
        TlsReport full = stable.build(ReportFixtures.IDENTITY, ReportFixtures.DAY, ReportFixtures.DOMAIN, counters);

        TlsReport partial = TlsReportBuilder.partial(full, Instant.parse("2026-11-22T15:30:00.250Z"));
        TlsReport later = TlsReportBuilder.partial(full, Instant.parse("2026-11-22T15:31:00Z"));

        assertThat(partial.reportId()).isEqualTo(full.reportId() + "-partial-20261122T153000250Z");
        assertThat(later.reportId()).isNotEqualTo(partial.reportId());
        // Still usable as the left part of a Message-ID (RFC 8460 5.3): dot-atom-text, no ':'.
        assertThat(partial.reportId()).matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+").doesNotContain("..");
        assertThat(partial.policies()).isEqualTo(full.policies());
    }
}
