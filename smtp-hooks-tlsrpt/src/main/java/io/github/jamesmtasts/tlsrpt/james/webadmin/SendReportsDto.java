package io.github.jamesmtasts.tlsrpt.james.webadmin;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

import io.github.jamesmtasts.tlsrpt.send.DispatchResult;

/** JSON of {@code POST /tlsrpt/days/{day}/reports}: what the send or resend did, per domain or destination. */
public final class SendReportsDto {

    private final LocalDate day;
    private final String action;
    private final List<DispatchResultDto> results;

    private SendReportsDto(LocalDate day, String action, List<DispatchResultDto> results) {
        this.day = day;
        this.action = action;
        this.results = results;
    }

    static SendReportsDto of(LocalDate day, String action, List<DispatchResult> results) {
        return new SendReportsDto(day, action, results.stream().map(DispatchResultDto::of).collect(Collectors.toList()));
    }

    public String getDay() {
        return day.toString();
    }

    public String getAction() {
        return action;
    }

    public List<DispatchResultDto> getResults() {
        return results;
    }
}
