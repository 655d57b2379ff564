package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** What `package` leaves for administrators: target/dropin/extensions-jars and target/dropin/conf. */
class DropInAssemblyTest {

    @Test
    void extensionsJarsShouldHoldOurJarsAndTheLibrariesJamesDoesNotShip() throws IOException {
        assertThat(jarNames(EndToEnd.dropIn().resolve("extensions-jars")))
                .anyMatch(name -> name.startsWith("mailet-mtasts-"))
                .anyMatch(name -> name.startsWith("smtp-hooks-tlsrpt-"))
                .anyMatch(name -> name.startsWith("h2-"))
                .anyMatch(name -> name.startsWith("postgresql-"))
                .anyMatch(name -> name.startsWith("HikariCP-"))
                .anyMatch(name -> name.startsWith("flyway-core-"))
                .noneMatch(name -> name.contains("-tests"));
    }

    @Test
    void extensionsJarsShouldNotDuplicateAnyLibraryJamesShips() throws IOException {
        Set<String> shippedByJames = EndToEnd.distribution().classPath().stream()
                .map(entry -> artifactId(entry.substring(entry.lastIndexOf('/') + 1)))
                .collect(Collectors.toSet());

        assertThat(jarNames(EndToEnd.dropIn().resolve("extensions-jars")))
                .allSatisfy(name -> assertThat(shippedByJames).doesNotContain(artifactId(name)));
    }

    @Test
    void jamesDistributionShouldHoldEveryJarOfTheAppClassPath() {
        assertThat(EndToEnd.distribution().missingClassPathEntries()).isEmpty();
    }

    @Test
    void exampleConfShouldUseOurDeliveryMailetAndGuiceModule() throws IOException {
        Path conf = EndToEnd.dropIn().resolve("conf");

        assertThat(Files.readString(conf.resolve("mailetcontainer.xml")))
                .contains("class=\"" + ExampleConf.DELIVERY_MAILET + "\"")
                .doesNotContain("class=\"RemoteDelivery\"");
        assertThat(Files.readString(conf.resolve("extensions.properties")))
                .contains("guice.extension.module=" + ExampleConf.GUICE_MODULE);
    }

    private static List<String> jarNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** "postgresql-42.7.4.jar" -> "postgresql"; "listenablefuture-9999.0-empty-....jar" -> "listenablefuture". */
    private static String artifactId(String jarName) {
        String[] parts = jarName.replaceAll("\\.jar$", "").split("-");
        StringBuilder id = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length && !Character.isDigit(parts[i].charAt(0)); i++) {
            id.append('-').append(parts[i]);
        }
        return id.toString();
    }
}
