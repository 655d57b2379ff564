package io.github.jamesmtasts.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * An unmodified James 3.8.1 memory app as its distribution lays it out: {@code james-server-memory-app.jar} and,
 * next to it, {@code james-server-memory-app.lib/} holding every jar the app jar's manifest {@code Class-Path} names.
 * The build assembles one in {@code target/james}.
 */
public final class JamesDistribution {
    public static final String APP_JAR = "james-server-memory-app.jar";
    public static final String LIB_DIR = "james-server-memory-app.lib";
    public static final String MAIN_CLASS = "org.apache.james.MemoryJamesServerMain";

    private final Path directory;

    private JamesDistribution(Path directory) {
        this.directory = directory;
    }

    /**
     * @throws IllegalStateException naming the folder and the missing jars when the distribution is incomplete
     *     (a Class-Path jar missing makes James fail later with an obscure NoClassDefFoundError)
     */
    public static JamesDistribution at(Path directory) {
        JamesDistribution distribution = new JamesDistribution(Objects.requireNonNull(directory, "directory").toAbsolutePath());
        List<String> missing = distribution.missingClassPathEntries();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The James distribution in " + directory + " is incomplete: " + missing.size()
                    + " jar(s) named by the Class-Path of " + APP_JAR + " are missing from " + LIB_DIR + ": " + missing
                    + ". Rebuild with ./mvnw -B package (james-conf-examples assembles it).");
        }
        return distribution;
    }

    public Path directory() {
        return directory;
    }

    public Path appJar() {
        return directory.resolve(APP_JAR);
    }

    public Path libDirectory() {
        return directory.resolve(LIB_DIR);
    }

    /** The manifest Class-Path entries (relative to the app jar) that do not exist; all of them if the jar is absent. */
    public List<String> missingClassPathEntries() {
        if (!Files.isRegularFile(appJar())) {
            return List.of(APP_JAR);
        }
        List<String> missing = new ArrayList<>();
        for (String entry : classPath()) {
            if (!Files.isRegularFile(directory.resolve(entry))) {
                missing.add(entry);
            }
        }
        return missing;
    }

    /** The app jar's manifest Class-Path, e.g. "james-server-memory-app.lib/guava-31.1-jre.jar". */
    public List<String> classPath() {
        try (JarFile jar = new JarFile(appJar().toFile())) {
            String value = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            return value == null ? List.of() : List.of(value.trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + appJar(), e);
        }
    }

    @Override
    public String toString() {
        return "JamesDistribution{" + directory + "}";
    }
}
