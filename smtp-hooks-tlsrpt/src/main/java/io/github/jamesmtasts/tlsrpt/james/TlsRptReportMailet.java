package io.github.jamesmtasts.tlsrpt.james;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import org.apache.james.metrics.api.MetricFactory;

import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;
import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.send.DailyReports;
import io.github.jamesmtasts.tlsrpt.send.DestinationPool;
import io.github.jamesmtasts.tlsrpt.send.DispatchSettings;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.send.HttpsReportSender;
import io.github.jamesmtasts.tlsrpt.send.ReportScheduler;
import io.github.jamesmtasts.tlsrpt.send.RetrySchedule;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;

/**
 * Sends the daily TLS-RPT reports (RFC 8460): once configured in mailetcontainer.xml it runs a background pass every
 * {@code tickInterval} that, after 00:00 UTC, sends the previous UTC day's report of every policy domain with a valid
 * {@code _smtp._tls} record, each at a random time within {@code sendWindow}; mailto: reports go through the mailet
 * container, DKIM-signed by the submitter domain with the key file {@code dkimPrivateKey} (RFC 8460 3), https: reports are
 * POSTed. Mails passing through are left untouched.
 *
 * <pre>
 * &lt;mailet match="All" class="io.github.jamesmtasts.tlsrpt.james.TlsRptReportMailet"&gt;
 *   &lt;organizationName&gt;Example Corp&lt;/organizationName&gt;
 *   &lt;contactInfo&gt;tlsrpt@example.com&lt;/contactInfo&gt;
 *   &lt;reportSender&gt;tlsrpt-noreply@example.com&lt;/reportSender&gt;   (default: contactInfo)
 *   &lt;sendWindow&gt;4h&lt;/sendWindow&gt;  &lt;tickInterval&gt;5m&lt;/tickInterval&gt;  &lt;httpsTimeout&gt;60s&lt;/httpsTimeout&gt;
 *   &lt;https.allowNetworks&gt;10.0.0.0/8&lt;/https.allowNetworks&gt;   (collectors on private networks; default none)
 *   &lt;maxDestinations&gt;5&lt;/maxDestinations&gt;   (rua destinations per report domain; the others are skipped)
 *   &lt;sendThreads&gt;4&lt;/sendThreads&gt;   (destinations sent at once, 1-64: a slow collector holds one thread)
 *   &lt;dkimPrivateKey&gt;conf/tlsrpt-dkim.pem&lt;/dkimPrivateKey&gt;  &lt;dkimSelector&gt;tlsrpt&lt;/dkimSelector&gt;   (defaults)
 *   &lt;dkimSign&gt;false&lt;/dkimSign&gt;   (only to send unsigned reports, which receivers may ignore)
 * &lt;/mailet&gt;
 * </pre>
 */
public class TlsRptReportMailet extends GenericMailet {

    private static final Logger LOGGER = LoggerFactory.getLogger(TlsRptReportMailet.class);
    /** Names the report loop in logs, the failure metric and the {@code /healthcheck} component. */
    public static final String LOOP_NAME = "tlsrpt-report-scheduler";
    /** The report loop is unhealthy when no pass completed within this many tick intervals. */
    static final int LIVENESS_INTERVALS = 3;
    /** How long stopping waits for a running pass before interrupting it, and again after. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final ResultStore store;
    private final TlsRptReportService service;
    private final TxtResolver resolver;
    private final Clock clock;
    private final ReportMetrics metrics;
    private final MetricFactory metricFactory;
    private ScheduledExecutorService executor;
    private DestinationPool pool;
    private DailyReports reports;
    private ReportScheduler scheduler;

    /** James's {@code Clock}; the TXT resolver is the one the MTA-STS module binds (James's own DNS servers). */
    @Inject
    public TlsRptReportMailet(ResultStore store, TlsRptReportService service, TxtResolver resolver,
                              MetricFactory metricFactory, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.service = Objects.requireNonNull(service);
        this.resolver = Objects.requireNonNull(resolver);
        this.clock = Objects.requireNonNull(clock);
        this.metrics = new ReportMetrics(metricFactory);
        this.metricFactory = Objects.requireNonNull(metricFactory);
    }

    @Override
    public void init() throws MessagingException {
        ReportMailetSettings settings = ReportMailetSettings.parse(name -> Optional.ofNullable(getInitParameter(name)));
        String nodeId = settings.nodeId.orElseGet(TlsRptReportMailet::hostName);
        DispatchSettings dispatch = dkim(settings, DispatchSettings.of(settings.identity, settings.reportSender, nodeId,
            settings.claimLease, RetrySchedule.rfc8460()).withMaxDestinations(settings.maxDestinations));
        HttpsReportSender https = new HttpsReportSender(settings.httpsTimeout, settings.trust,
            GuardedConnector.of(settings.addressGuard));
        MailAddress envelopeSender = new MailAddress(settings.reportSender);
        LoopLiveness liveness = LoopLiveness.of(LOOP_NAME, clock, settings.tickInterval.multipliedBy(LIVENESS_INTERVALS));
        LoopMetrics.countFailures(liveness, metricFactory);
        // One send's worst case is what the lease must cover (DispatchSettings.checkLease): a pass waits that long per
        // round of sendThreads destinations.
        pool = DestinationPool.of(settings.sendThreads,
            settings.httpsTimeout.multipliedBy(DispatchSettings.LEASE_TO_DEADLINE_FACTOR), "tlsrpt-send");
        reports = new DailyReports(store, new TlsRptDiscovery(resolver),
            message -> ReportMails.send(getMailetContext(), envelopeSender, recipients(message), message), https,
            dispatch, clock, liveness, pool);
        scheduler = new ReportScheduler(reports, clock, settings.seed.orElseGet(() -> new SecureRandom().nextLong()),
            settings.sendWindow);
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tlsrpt-reports");
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.tickInterval.toMillis();
        executor.scheduleWithFixedDelay(this::pass, interval, interval, TimeUnit.MILLISECONDS);
        liveness.started();
        service.connect(reports, () -> stopPasses("James is stopping: the TLS-RPT store closes"));
        LOGGER.info("TLS-RPT reports enabled: submitter {} ({}), node {}, window {}, pass every {}, {} send threads",
            settings.identity.submitterDomain(), settings.identity.organizationName(), nodeId, settings.sendWindow,
            settings.tickInterval, settings.sendThreads);
    }

    private static DispatchSettings dkim(ReportMailetSettings settings, DispatchSettings dispatch) {
        if (settings.dkim.isEmpty()) {
            LOGGER.warn("TLS-RPT report mails are NOT DKIM-signed ({}=false): receivers may ignore them (RFC 8460 3)",
                ReportMailetSettings.DKIM_SIGN);
            return dispatch;
        }
        LOGGER.info("TLS-RPT report mails are DKIM-signed: d={}, s={}", settings.dkim.get().domain(),
            settings.dkim.get().selector());
        return dispatch.withDkim(settings.dkim.get());
    }

    /**
     * One scheduled pass: sends what is due and counts the outcomes. Never throws, not even an {@link Error}: a
     * ScheduledExecutorService silently cancels a periodic task that throws, and no report would go out again.
     */
    void pass() {
        LoopLiveness liveness = reports.liveness();
        liveness.runStarted();
        try {
            metrics.count(scheduler.tick());
            liveness.runCompleted();
        } catch (Throwable e) {
            liveness.runFailed(e);
        }
    }

    @Override
    public void service(Mail mail) {
        // Nothing to do per mail: this mailet only hosts the report schedule.
    }

    @Override
    public void destroy() {
        if (reports != null) {
            service.disconnect(reports);
        }
        stopPasses("the report mailet was destroyed");
    }

    /**
     * Stops the passes and lets a running one finish, for at most {@link #STOP_WAIT} before it is interrupted (an
     * interrupt in the middle of a database write is worse than a short wait); a second call does nothing more.
     */
    private synchronized void stopPasses(String why) {
        if (reports != null) {
            reports.liveness().stopped(why);
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    executor.shutdownNow();
                    executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public String getMailetInfo() {
        return "TLS-RPT (RFC 8460) daily report sender";
    }

    private static List<MailAddress> recipients(MimeMessage message) throws MessagingException {
        List<MailAddress> recipients = new ArrayList<>();
        for (Address address : message.getAllRecipients()) {
            recipients.add(new MailAddress((InternetAddress) address));
        }
        return recipients;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fallback = "node-" + UUID.randomUUID();
            LOGGER.warn("cannot determine this host's name for TLS-RPT send claims; using {} (set 'nodeId')", fallback);
            return fallback;
        }
    }
}
