package io.github.jamesmtasts.tlsrpt.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When reports go out: after 00:00 UTC (and {@link #SETTLE}), each policy domain's report for the previous UTC day at
 * its own random time within a window (RFC 8460 4.1 asks senders to spread the load on collectors), then retried by
 * {@link DailyReports} until its destinations are sent or given up. Each pass ({@link #tick()}) is driven by the injected clock, so tests
 * call it directly; the report mailet runs it periodically.
 */
public final class ReportScheduler {

    private static final Logger LOGGER = LoggerFactory.getLogger(ReportScheduler.class);

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(4);
    public static final Duration DEFAULT_TICK = Duration.ofMinutes(5);
    /**
     * No report of a day goes out before this long after the day ended: a session recorded in the day's last moment
     * reaches the store one recorder flush later, and the clocks of a cluster's nodes differ a little. A report built
     * earlier would miss those sessions and, once marked sent, never count them (issue 10: the numbers are the truth).
     */
    public static final Duration SETTLE = Duration.ofSeconds(10);
    // The day before yesterday too: a report first tried late in the window retries for 24 h (RFC 8460 5.5).
    private static final int DAYS_BACK = 2;
    /**
     * How long counters stay in the store after their day, for operators (WebAdmin shows and resends past days);
     * RFC 8460 asks nothing of the kind, so a month is a judgement call.
     */
    public static final int RETENTION_DAYS = 31;

    private final DailyReports reports;
    private final Clock clock;
    private final long seed;
    private final Duration window;

    /**
     * @param seed makes send times reproducible; give each node its own (e.g. random) seed so nodes spread too
     * @param window send times fall in {@code [00:00 + SETTLE, 00:00 + SETTLE + window)} UTC of the day after the
     *               report's day
     */
    public ReportScheduler(DailyReports reports, Clock clock, long seed, Duration window) {
        this.reports = Objects.requireNonNull(reports);
        this.clock = Objects.requireNonNull(clock);
        this.seed = seed;
        this.window = Objects.requireNonNull(window);
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the report send window must be positive, got " + window);
        }
    }

    /** When the first attempt of {@code day}'s report for {@code policyDomain} is due on this node. */
    public Instant sendTime(LocalDate day, String policyDomain) {
        Random random = new Random(seed * 1_000_003L + day.toEpochDay() * 31L + policyDomain.hashCode());
        long offsetMillis = Math.floorMod(random.nextLong(), window.toMillis());
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(SETTLE).plusMillis(offsetMillis);
    }

    /** One pass: sends whatever is due now. Never throws: failures are logged and retried by the next pass. */
    public List<DispatchResult> tick() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<DispatchResult> results = new ArrayList<>();
        for (int back = DAYS_BACK; back >= 1; back--) {
            LocalDate day = today.minusDays(back);
            try {
                results.addAll(reports.sendDue(day, domain -> !now.isBefore(sendTime(day, domain))));
            } catch (Throwable e) {
                // Design H1: one day's trouble (e.g. the store listing its domains) does not stop the other day.
                reports.liveness().itemFailed("TLS-RPT reports of " + day + " (next pass retries)", e);
            }
        }
        reports.forgetBefore(today.minusDays(DAYS_BACK));
        try {
            long purged = reports.purgeBefore(today.minusDays(RETENTION_DAYS));
            if (purged > 0) {
                LOGGER.info("TLS-RPT: deleted {} rows of days before {}", purged, today.minusDays(RETENTION_DAYS));
            }
        } catch (Throwable e) {
            reports.liveness().itemFailed("TLS-RPT deletion of days before " + today.minusDays(RETENTION_DAYS)
                + " (next pass retries)", e);
        }
        return results;
    }
}
