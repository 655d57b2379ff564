package io.github.jamesmtasts.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's host name, read without name resolution: James calls {@code InetAddress.getLocalHost()} at start,
 * which must resolve through the generated hosts file, so the name goes into it (mapped to 127.0.0.1).
 */
final class MachineHostName {
    private MachineHostName() {
    }

    static String get() {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        try {
            if (Files.isReadable(kernel)) {
                String name = new String(Files.readAllBytes(kernel), StandardCharsets.US_ASCII).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            Process process = new ProcessBuilder("hostname").redirectErrorStream(true).start();
            String name = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            process.waitFor();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot determine this machine's host name (needed in James's hosts file)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("cannot determine this machine's host name (needed in James's hosts file)");
    }
}
