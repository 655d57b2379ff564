package io.github.jamesmtasts.tlsrpt.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;

/** No password reaches a log line or an error message, JDBC URLs included (issue 9, item 9). */
class PasswordsInLogsTest {

    private static final String SECRET = "s3cret-in-url";

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Level rootLevel;

    @BeforeEach
    void capture() {
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void release() {
        root.detachAppender(log);
        root.setLevel(rootLevel);
    }

    @Test
    void descriptionAndSettingsShouldNotShowAPasswordWrittenIntoTheJdbcUrl() {
        DatabaseSettings settings = DatabaseSettings.postgresql("jdbc:postgresql://db.internal/james?user=james&password="
            + SECRET, Optional.empty(), Optional.of("other-" + SECRET), 2);

        assertThat(settings.describe()).contains("db.internal/james?user=james&password=***").doesNotContain(SECRET);
        assertThat(settings.toString()).doesNotContain(SECRET);
    }

    @Test
    void migratingAndUsingTheDatabaseShouldLogNoPasswordOfTheJdbcUrl() {
        String url = TestPostgres.shared().createDatabase() + "?password=" + SECRET;
        try (Database database = Database.open(DatabaseSettings.postgresql(url, Optional.of(TestPostgres.shared().user()),
            Optional.empty(), 2))) {
            JdbcResultStore.open(database);
            assertThat(database.description()).doesNotContain(SECRET);
        }

        assertThat(log.list).as("Flyway and our own start-up lines were captured").isNotEmpty();
        assertThat(texts()).noneMatch(text -> text.contains(SECRET));
    }

    @Test
    void unreachableServerShouldBeReportedWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/james?password=" + SECRET;

        assertThatThrownBy(() -> Database.open(DatabaseSettings.postgresql(url, Optional.empty(), Optional.empty(), 1)))
            .isInstanceOf(StoreException.class)
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).contains("password=***"));
        assertThat(texts()).noneMatch(text -> text.contains(SECRET));
    }

    /** Every captured message, with the messages of its exception and their causes. */
    private List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent event : log.list) {
            texts.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(String.valueOf(t.getMessage()));
            }
        }
        return texts;
    }
}
