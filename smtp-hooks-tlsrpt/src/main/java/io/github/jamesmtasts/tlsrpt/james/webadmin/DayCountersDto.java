package io.github.jamesmtasts.tlsrpt.james.webadmin;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.jamesmtasts.tlsrpt.store.DaySummary;
import io.github.jamesmtasts.tlsrpt.store.SendState;

/**
 * JSON of {@code GET /tlsrpt/days/{day}}: the day's session counters per policy domain (RFC 8460 4.4
 * {@code summary}) and where the sending of each report destination stands.
 */
public final class DayCountersDto {

    /** One policy domain's sessions of the day. */
    public static final class DomainCounters {
        private final String policyDomain;
        private final DaySummary summary;

        DomainCounters(String policyDomain, DaySummary summary) {
            this.policyDomain = policyDomain;
            this.summary = summary;
        }

        public String getPolicyDomain() {
            return policyDomain;
        }

        public long getSuccessfulSessions() {
            return summary.successes();
        }

        public long getFailedSessions() {
            return summary.failures();
        }
    }

    private final LocalDate day;
    private final List<DomainCounters> policyDomains;
    private final List<SendStateDto> reports;

    private DayCountersDto(LocalDate day, List<DomainCounters> policyDomains, List<SendStateDto> reports) {
        this.day = day;
        this.policyDomains = policyDomains;
        this.reports = reports;
    }

    static DayCountersDto of(LocalDate day, Map<String, DaySummary> summaries, List<SendState> sendStates) {
        return new DayCountersDto(day,
            summaries.entrySet().stream().map(e -> new DomainCounters(e.getKey(), e.getValue()))
                .collect(Collectors.toList()),
            sendStates.stream().map(SendStateDto::of).collect(Collectors.toList()));
    }

    public String getDay() {
        return day.toString();
    }

    public long getSuccessfulSessions() {
        return policyDomains.stream().mapToLong(DomainCounters::getSuccessfulSessions).sum();
    }

    public long getFailedSessions() {
        return policyDomains.stream().mapToLong(DomainCounters::getFailedSessions).sum();
    }

    public List<DomainCounters> getPolicyDomains() {
        return policyDomains;
    }

    public List<SendStateDto> getReports() {
        return reports;
    }
}
