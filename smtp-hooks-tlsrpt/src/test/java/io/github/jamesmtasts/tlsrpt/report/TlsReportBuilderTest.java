package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

class TlsReportBuilderTest {

    private final TlsReportBuilder testee = new TlsReportBuilder(new Random(5));

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
}
