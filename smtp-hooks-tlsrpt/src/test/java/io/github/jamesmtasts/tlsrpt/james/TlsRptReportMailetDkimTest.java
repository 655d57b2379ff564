package io.github.jamesmtasts.tlsrpt.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyRecord;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.TestDkim;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** RFC 8460 3: the report mailet signs its mails itself, and refuses to start without a key unless told otherwise. */
class TlsRptReportMailetDkimTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);

    @TempDir
    Path folder;

    /** After the send time of every domain for DAY (the default send window is 4 h after midnight UTC). */
    private static final Instant AFTER_SEND_WINDOW = Instant.parse("2026-11-23T05:00:00Z");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create()
        .withRecords("_smtp._tls.reports.test", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test")
        .withRecords(DkimKeyRecord.name("tlsrpt", DomainName.of("sender.test").orElseThrow()).asString(),
            TestDkim.txtRecord());
    private Database database;
    private TlsRptReportMailet mailet;

    @BeforeEach
    void setUp() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        ResultStore store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(ReportPolicy.noPolicyFound("reports.test")), 3L));
        mailet = new TlsRptReportMailet(store, new TlsRptReportService(), dns, new RecordingMetricFactory(), clock);
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
            .setProperty("tickInterval", "1d")
            .setProperty("nodeId", "node-a");
    }

    private byte[] sendReport() throws Exception {
        clock.set(AFTER_SEND_WINDOW);
        mailet.pass();
        assertThat(context.getSentMails()).hasSize(1);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        context.getSentMails().get(0).getMsg().writeTo(raw);
        return raw.toByteArray();
    }

    @Test
    void sentReportMailShouldVerifyAgainstThePublishedKey() throws Exception {
        Path key = TestDkim.writeKey(folder.resolve("conf/tlsrpt-dkim.pem"));
        mailet.init(config().setProperty("dkimPrivateKey", key.toString()).build());

        assertThat(TestDkim.verify(sendReport(), dns)).singleElement()
            .satisfies(s -> assertThat(s.getDToken().toString()).isEqualTo("sender.test"));
    }

    @Test
    void initShouldFailNamingTheMissingKeyFileAndHowToCreateIt() {
        Path key = folder.resolve("conf/tlsrpt-dkim.pem");

        assertThatThrownBy(() -> mailet.init(config().setProperty("dkimPrivateKey", key.toString()).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(key.toString() + " does not exist")
            .hasMessageContaining("mta-sts dkim-keygen --domain sender.test --selector tlsrpt --out " + key);
    }

    @Test
    void optOutShouldSendUnsignedReports() throws Exception {
        mailet.init(config().setProperty("dkimPrivateKey", folder.resolve("none.pem").toString())
            .setProperty("dkimSign", "false").build());

        assertThat(new String(sendReport(), java.nio.charset.StandardCharsets.US_ASCII)).doesNotContain("DKIM-Signature");
    }
}
