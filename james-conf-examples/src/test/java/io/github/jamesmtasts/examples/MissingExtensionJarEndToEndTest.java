package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example configuration names our classes: without our jar in extensions-jars/, James 3.8.1 must refuse to
 * start (james.exit.on.startup.error) and the harness must say so with James's own error, instead of timing out.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class MissingExtensionJarEndToEndTest {

    @Test
    void jamesShouldRefuseToStartWhenOurJarIsMissingFromExtensionsJars() {
        JamesLauncher launcher = JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(EndToEnd.runDirectory("missing-extension-jar"))
                .smtp("127.0.11.1", 0)
                .webAdmin("127.0.11.1", 0)
                .dnsServer("127.0.11.53") // never queried: James stops before any delivery
                .withoutExtensionJar("mailet-mtasts-")
                .startTimeout(Duration.ofMinutes(3));

        assertThatThrownBy(launcher::start)
                .isInstanceOf(JamesStartupException.class)
                .hasMessageContaining("James exited with code")
                .hasMessageContaining("io.github.jamesmtasts.mtasts.james");
    }
}
