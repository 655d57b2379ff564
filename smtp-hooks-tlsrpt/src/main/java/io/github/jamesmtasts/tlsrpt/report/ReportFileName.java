package io.github.jamesmtasts.tlsrpt.report;

import java.util.Locale;

/**
 * RFC 8460 5.3 report file name: {@code sender "!" policy-domain "!" begin-timestamp "!" end-timestamp "!" unique-id
 * ".json.gz"}, timestamps in seconds since the epoch, unique-id {@code 1*(ALPHA / DIGIT)}.
 */
public final class ReportFileName {

    private ReportFileName() {
    }

    /**
     * @param submitterDomain the domain of the report's contact address (RFC 8460 5.3 {@code sender})
     * @param policyDomain the domain the report is about
     */
    public static String of(String submitterDomain, String policyDomain, TlsReport report) {
        return submitterDomain.toLowerCase(Locale.ROOT) + "!" + policyDomain.toLowerCase(Locale.ROOT) + "!"
            + report.dateRange().start().getEpochSecond() + "!" + report.dateRange().end().getEpochSecond() + "!"
            + uniqueId(report.reportId()) + ".json.gz";
    }

    // The name already holds domain and period, so the random tail of our ids (day_domain_hex) is unique enough;
    // for other ids, all their letters and digits.
    static String uniqueId(String reportId) {
        String tail = reportId.substring(reportId.lastIndexOf('_') + 1);
        String alnum = (tail.matches("[A-Za-z0-9]+") ? tail : reportId).replaceAll("[^A-Za-z0-9]", "");
        return alnum.isEmpty() ? "0" : alnum;
    }
}
