package io.github.jamesmtasts.tlsrpt.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/** RFC 8460 4.4 {@code date-range}: the period a report covers, both ends inclusive as the RFC's examples show. */
public final class DateRange {

    private final Instant start;
    private final Instant end;

    private DateRange(Instant start, Instant end) {
        this.start = Objects.requireNonNull(start);
        this.end = Objects.requireNonNull(end);
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("date range ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public static DateRange of(Instant start, Instant end) {
        return new DateRange(start, end);
    }

    /** The full UTC day: {@code YYYY-MM-DDT00:00:00Z} to {@code YYYY-MM-DDT23:59:59Z} (RFC 8460 4.1: daily reports). */
    public static DateRange utcDay(LocalDate day) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        return new DateRange(start, start.plusSeconds(86_399));
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DateRange)) {
            return false;
        }
        DateRange that = (DateRange) o;
        return start.equals(that.start) && end.equals(that.end);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end);
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }
}
