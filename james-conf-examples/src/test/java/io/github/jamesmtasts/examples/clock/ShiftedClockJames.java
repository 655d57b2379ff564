package io.github.jamesmtasts.examples.clock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import io.github.jamesmtasts.examples.JamesLauncher;

/**
 * Makes a {@link JamesLauncher} start James with its clock shifted (see {@link ShiftedClockJamesMain}): James's clock
 * reads {@code jamesNow} at the moment {@link #readingNow} is called and runs at normal speed, so the test knows what
 * it reads at any moment ({@link #jamesTime}, {@link #realTime}). The test JVM never
 * loads the main class (it does not have James's jars): it only copies its bytes into a one-class jar.
 */
public final class ShiftedClockJames {
    // By name: the test JVM must not load the class, whose James types it cannot resolve.
    private static final String MAIN_CLASS = "io.github.jamesmtasts.examples.clock.ShiftedClockJamesMain";
    private static final String CLASS_FILE = MAIN_CLASS.replace('.', '/') + ".class";

    private final Duration offset;

    private ShiftedClockJames(Duration offset) {
        this.offset = offset;
    }

    /** A clock that reads {@code jamesNow} now. */
    public static ShiftedClockJames readingNow(Instant jamesNow) {
        return new ShiftedClockJames(Duration.between(Instant.now(), jamesNow));
    }

    /** What James's clock reads at {@code real} (this machine's clock). */
    public Instant jamesTime(Instant real) {
        return real.plus(offset);
    }

    /** This machine's time when James's clock reads {@code jamesTime}. */
    public Instant realTime(Instant jamesTime) {
        return jamesTime.minus(offset);
    }

    /**
     * @param files where the one-class jar is written
     */
    public JamesLauncher shift(JamesLauncher launcher, Path files) {
        return launcher.mainClass(MAIN_CLASS, writeJar(files.resolve("shifted-clock-main.jar")))
            .jvmArgument("-D" + ShiftedClockJamesMain.OFFSET_PROPERTY + "=" + offset);
    }

    private static Path writeJar(Path jar) {
        try (InputStream bytes = ShiftedClockJames.class.getClassLoader().getResourceAsStream(CLASS_FILE)) {
            if (bytes == null) {
                throw new IllegalStateException(CLASS_FILE + " is not on the test class path");
            }
            Files.createDirectories(jar.getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
                jarOut.putNextEntry(new JarEntry(CLASS_FILE));
                bytes.transferTo(jarOut);
                jarOut.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + jar, e);
        }
    }
}
