package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/** Design H5: the recipient's own policy text goes back into its report bounded. */
class PolicyBlockBoundsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final String DOMAIN = "hostile.test";

    private static List<String> lines(int count, int length) {
        return IntStream.range(0, count).mapToObj(i -> "mx: " + "m".repeat(length) + i + ".hostile.test")
            .collect(Collectors.toList());
    }

    private static ReportPolicy reported(ReportPolicy policy) {
        TlsReport report = TlsReportBuilder.stableIds().build(ReportFixtures.IDENTITY, DAY, DOMAIN,
            List.of(PolicyAggregate.of(policy, 1, Map.of())));
        return report.policies().get(0).policy();
    }

    private static int utf8Bytes(List<String> values) {
        return values.stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    @Test
    void policyWithinTheBoundsShouldBeReportedAsItIs() {
        ReportPolicy policy = ReportPolicy.sts(DOMAIN, List.of("version: STSv1", "mode: enforce", "mx: mx.hostile.test",
            "max_age: 86400"), List.of("mx.hostile.test"));

        assertThat(reported(policy)).isEqualTo(policy);
    }

    @Test
    void policyWithTooManyLinesShouldBeCutToTheLineBound() {
        ReportPolicy policy = ReportPolicy.sts(DOMAIN, lines(5_000, 1), lines(5_000, 1));

        ReportPolicy reported = reported(policy);

        assertThat(reported.policyStrings()).hasSize(PolicyBlockBounds.MAX_POLICY_STRING_LINES)
            .isEqualTo(policy.policyStrings().subList(0, PolicyBlockBounds.MAX_POLICY_STRING_LINES));
        assertThat(reported.mxHosts()).hasSize(PolicyBlockBounds.MAX_MX_HOSTS);
    }

    @Test
    void policyWithHugeLinesShouldBeCutToTheByteBoundKeepingWholeLines() {
        ReportPolicy policy = ReportPolicy.sts(DOMAIN, lines(100, 10_000), List.of("mx.hostile.test"));

        ReportPolicy reported = reported(policy);

        assertThat(utf8Bytes(reported.policyStrings())).isLessThanOrEqualTo(PolicyBlockBounds.MAX_POLICY_STRING_BYTES);
        assertThat(reported.policyStrings()).isNotEmpty()
            .isEqualTo(policy.policyStrings().subList(0, reported.policyStrings().size()));
    }
}
