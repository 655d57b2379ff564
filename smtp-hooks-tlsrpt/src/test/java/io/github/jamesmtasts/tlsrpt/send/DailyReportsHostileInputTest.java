package io.github.jamesmtasts.tlsrpt.send;

import java.time.Duration;
import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.mail.internet.InternetAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/** Design H1 and H5 for the report run: one hostile domain never stops the others; at most 5 rua per domain. */
class DailyReportsHostileInputTest {

    // One send thread: destinations go in submission order, as in production with sendThreads = 1.
    private final DestinationPool pool = DestinationPool.of(1, Duration.ofMinutes(2), "test-send");

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    // Listed (and processed) in this order: the hostile domain comes first.
    private static final String HOSTILE = "a-hostile.test";
    private static final String NORMAL = "z-normal.test";

    @TempDir
    Path folder;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:30:00Z"));
    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create()
        .withRecords("_smtp._tls." + NORMAL, "v=TLSRPTv1; rua=mailto:tlsrpt@" + NORMAL);
    private final RecordingMailer mailer = new RecordingMailer();
    private Database database;
    private ResultStore store;

    @BeforeEach
    void openStore() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(ReportPolicy.noPolicyFound(HOSTILE)), 3L,
            SessionResult.success(ReportPolicy.noPolicyFound(NORMAL)), 5L));
    }

    @AfterEach
    void close() {
        pool.close();
        database.close();
    }

    private DailyReports reports(TxtResolver resolver, DispatchSettings settings) {
        HttpsReportSender https = new HttpsReportSender(HttpsReportSender.DEFAULT_TIMEOUT, TrustAnchors.jvmDefault(),
            GuardedConnector.of(AddressGuard.allowing(List.of())));
        return new DailyReports(store, new TlsRptDiscovery(resolver), mailer, https, settings, clock,
            LoopLiveness.of("tlsrpt-reports", clock, Duration.ofDays(1)), pool);
    }

    private static DispatchSettings settings() throws Exception {
        return DispatchSettings.of(ReportFixtures.IDENTITY, new InternetAddress("tlsrpt-noreply@sender.test"), "node-a",
            DispatchSettings.DEFAULT_LEASE, RetrySchedule.rfc8460());
    }

    private static List<String> mailedDomains(RecordingMailer mailer) {
        return mailer.submitted().stream().map(m -> {
            try {
                return m.getHeader("TLS-Report-Domain", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toList());
    }

    static Stream<Arguments> failures() {
        return Stream.of(
            Arguments.of("StackOverflowError (a parser's regex)", (Supplier<Throwable>) StackOverflowError::new),
            Arguments.of("OutOfMemoryError", (Supplier<Throwable>) () -> new OutOfMemoryError("test")),
            Arguments.of("RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("test")));
    }

    @ParameterizedTest(name = "H1 {0} in one domain's lookup")
    @MethodSource("failures")
    void domainWhoseProcessingThrowsShouldBeSkippedAndTheOthersReported(String name, Supplier<Throwable> failure)
        throws Exception {
        TxtResolver throwingForHostile = query -> {
            if (query.asString().contains(HOSTILE)) {
                sneakyThrow(failure.get());
            }
            return dns.lookup(query);
        };
        DailyReports reports = reports(throwingForHostile, settings());

        List<DispatchResult> results = reports.sendDue(DAY);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.policyDomain()).isEqualTo(NORMAL);
            assertThat(r.kind()).isEqualTo(DispatchResult.Kind.SENT);
        });
        assertThat(mailedDomains(mailer)).containsExactly(NORMAL);
        assertThat(reports.liveness().failures()).isEqualTo(1);
    }

    @Test
    void resendOfADomainThatThrowsShouldAnswerFailedInsteadOfThrowing() throws Exception {
        TxtResolver throwingForHostile = query -> {
            if (query.asString().contains(HOSTILE)) {
                throw new StackOverflowError();
            }
            return dns.lookup(query);
        };
        DailyReports reports = reports(throwingForHostile, settings());

        List<DispatchResult> hostile = reports.resend(DAY, HOSTILE);
        List<DispatchResult> normal = reports.resend(DAY, NORMAL);

        assertThat(hostile).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(DispatchResult.Kind.FAILED);
            assertThat(r.detail()).hasValueSatisfying(d -> assertThat(d).contains("StackOverflowError"));
        });
        assertThat(normal).extracting(DispatchResult::kind).containsExactly(DispatchResult.Kind.SENT);
    }

    @Test
    void hostileRecordWithAHugeMailtoRuaShouldNotStopTheReportOfTheNextDomain() throws Exception {
        String hugeMailbox = "a".repeat(3_000) + "@" + HOSTILE;
        dns.withRecords("_smtp._tls." + HOSTILE, "v=TLSRPTv1; rua=mailto:" + hugeMailbox);
        DailyReports reports = reports(dns, settings());

        List<DispatchResult> results = reports.sendDue(DAY);

        assertThat(results).filteredOn(r -> r.policyDomain().equals(NORMAL))
            .singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(DispatchResult.Kind.SENT));
        assertThat(mailedDomains(mailer)).contains(NORMAL);
    }

    @Test
    void destinationWhoseSendThrowsShouldBeRetriedLaterAndNotStopTheOtherDestinations() throws Exception {
        dns.withRecords("_smtp._tls." + NORMAL, "v=TLSRPTv1; rua=mailto:bad@" + NORMAL + ",mailto:good@" + NORMAL);
        ReportMailer throwingForBad = message -> {
            if (message.getAllRecipients()[0].toString().startsWith("bad@")) {
                throw new StackOverflowError();
            }
            mailer.submit(message);
        };
        HttpsReportSender https = new HttpsReportSender(HttpsReportSender.DEFAULT_TIMEOUT, TrustAnchors.jvmDefault(),
            GuardedConnector.of(AddressGuard.allowing(List.of())));
        DailyReports reports = new DailyReports(store, new TlsRptDiscovery(dns), throwingForBad, https, settings(),
            clock, LoopLiveness.of("tlsrpt-reports", clock, Duration.ofDays(1)), pool);

        List<DispatchResult> results = reports.sendDue(DAY, NORMAL);

        assertThat(results).extracting(DispatchResult::kind)
            .containsExactly(DispatchResult.Kind.RETRY_SCHEDULED, DispatchResult.Kind.SENT);
        assertThat(mailer.submitted()).hasSize(1);
    }

    @Test
    void recordWithMoreThanFiveRuaShouldGetReportsAtTheFirstFiveOnly() throws Exception {
        String rua = IntStream.rangeClosed(1, 7).mapToObj(i -> "mailto:r" + i + "@" + NORMAL)
            .collect(Collectors.joining(","));
        dns.withRecords("_smtp._tls." + NORMAL, "v=TLSRPTv1; rua=" + rua);
        DailyReports reports = reports(dns, settings());

        List<DispatchResult> results = reports.sendDue(DAY, NORMAL);

        assertThat(results).extracting(DispatchResult::rua).containsExactly(
            Optional.of("mailto:r1@" + NORMAL), Optional.of("mailto:r2@" + NORMAL), Optional.of("mailto:r3@" + NORMAL),
            Optional.of("mailto:r4@" + NORMAL), Optional.of("mailto:r5@" + NORMAL));
        assertThat(mailer.submitted()).hasSize(5);
    }

    @Test
    void maxDestinationsShouldBeConfigurable() throws Exception {
        dns.withRecords("_smtp._tls." + NORMAL, "v=TLSRPTv1; rua=mailto:r1@" + NORMAL + ",mailto:r2@" + NORMAL);
        DailyReports reports = reports(dns, settings().withMaxDestinations(1));

        assertThat(reports.sendDue(DAY, NORMAL)).hasSize(1);
        assertThat(reports.resend(DAY, NORMAL)).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
