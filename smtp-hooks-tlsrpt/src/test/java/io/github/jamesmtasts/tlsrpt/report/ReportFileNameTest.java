package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportFileNameTest {

    @Test
    void fileNameShouldFollowRfc8460Section53() {
        TlsReport report = ReportFixtures.sampleReport();

        String name = ReportFileName.of("sender.test", "Enforce.TEST", report);

        // 2026-11-22T00:00:00Z = 1795305600
        assertThat(name).matches("sender\\.test!enforce\\.test!1795305600!1795391999![A-Za-z0-9]+\\.json\\.gz");
    }

    @Test
    void uniqueIdShouldBeTheRandomTailOfOurIds() {
        assertThat(ReportFileName.uniqueId("2026-11-22_enforce.test_00ff")).isEqualTo("00ff");
    }

    @Test
    void uniqueIdShouldKeepOnlyLettersAndDigitsOfOtherIds() {
        assertThat(ReportFileName.uniqueId("2024.09.15T00.00.00Z+krvtz.net")).isEqualTo("20240915T000000Zkrvtznet");
        assertThat(ReportFileName.uniqueId("a_b-c")).isEqualTo("abc");
    }
}
