package io.github.jamesmtasts.tlsrpt.james;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import javax.mail.internet.InternetAddress;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.TestDkim;

class TlsRptReportMailetTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);

    @TempDir
    Path folder;

    /** After the send time of every domain for DAY (the default send window is 4 h after midnight UTC). */
    private static final Instant AFTER_SEND_WINDOW = Instant.parse("2026-11-23T05:00:00Z");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private final TlsRptReportService service = new TlsRptReportService();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final RecordingMetricFactory metricFactory = new RecordingMetricFactory();
    private Database database;
    private ResultStore store;
    private TlsRptReportMailet mailet;

    @BeforeEach
    void setUp() throws Exception {
        TestDkim.writeKey(folder.resolve("conf/tlsrpt-dkim.pem"));
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(ReportPolicy.noPolicyFound("reports.test")), 12L));
        InMemoryTxtResolver dns = InMemoryTxtResolver.create()
            .withRecords("_smtp._tls.reports.test", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test");
        mailet = new TlsRptReportMailet(store, service, dns, metricFactory, clock);
    }

    @AfterEach
    void tearDown() {
        mailet.destroy();
        database.close();
    }

    private FakeMailetConfig.Builder config() {
        return FakeMailetConfig.builder().mailetName("TlsRptReportMailet").mailetContext(context)
            .setProperty("organizationName", "Sender Test Org")
            .setProperty("contactInfo", "tlsrpt@sender.test")
            .setProperty("reportSender", "tlsrpt-noreply@sender.test")
            .setProperty("tickInterval", "1d")
            .setProperty("nodeId", "node-a")
            .setProperty("seed", "7")
            .setProperty("dkimPrivateKey", folder.resolve("conf/tlsrpt-dkim.pem").toString());
    }

    @Test
    void passAfterTheSendTimeShouldSendTheReportThroughTheMailetContext() throws Exception {
        mailet.init(config().build());
        clock.set(AFTER_SEND_WINDOW);

        mailet.pass();

        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getSender()).isEqualTo(new MailAddress("tlsrpt-noreply@sender.test"));
            assertThat(sent.getRecipients()).containsExactly(new MailAddress("tlsrpt@reports.test"));
            assertThat(sent.getMsg().getHeader("TLS-Report-Submitter", null)).isEqualTo("sender.test");
            assertThat(sent.getMsg().getFrom()).containsExactly(new InternetAddress("tlsrpt-noreply@sender.test"));
            // RFC 8460 5.3: the delivery recognises report mails by this attribute, not by a header anyone can write.
            assertThat(sent.getAttributes()).containsKey(ReportMails.ATTRIBUTE);
            assertThat(sent.getAttributes().get(ReportMails.ATTRIBUTE).getValue().value()).isEqualTo(true);
        });
    }

    @Test
    void scheduledPassShouldCountSentReportsInJamesMetrics() throws Exception {
        mailet.init(config().build());
        clock.set(AFTER_SEND_WINDOW);

        mailet.pass();

        assertThat(metricFactory.countFor("tlsrpt_reports_sent")).isEqualTo(1);
        assertThat(context.getSentMails()).hasSize(1);
    }

    @Test
    void serviceShouldBuildOnDemandWhileTheMailetRuns() throws Exception {
        mailet.init(config().build());

        assertThat(service.isConfigured()).isTrue();
        assertThat(service.build(DAY, "reports.test")).get()
            .satisfies(r -> assertThat(r.organizationName()).isEqualTo("Sender Test Org"));
        mailet.destroy();
        assertThat(service.isConfigured()).isFalse();
        assertThatThrownBy(() -> service.build(DAY, "reports.test")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("TlsRptReportMailet");
    }

    @Test
    void initShouldFailNamingTheParameterWhenOrganizationIsMissing() {
        FakeMailetConfig config = FakeMailetConfig.builder().mailetName("TlsRptReportMailet").mailetContext(context)
            .setProperty("contactInfo", "tlsrpt@sender.test").build();

        assertThatThrownBy(() -> mailet.init(config)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("organizationName");
    }

    @Test
    void initShouldFailNamingTheParameterWhenADurationIsBad() {
        assertThatThrownBy(() -> mailet.init(config().setProperty("sendWindow", "four hours").build()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendWindow", "4h");
    }
}
