package io.github.jamesmtasts.examples;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;

import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyFile;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyRecord;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The project's main run command ({@code ./mvnw -B -Prun -DskipTests package}): starts a real James 3.8.1 memory
 * app with our extension and the example configuration (embedded database under the run folder's var/), prints
 * its addresses and its log, and runs until Ctrl-C.
 *
 * <p>Arguments: james distribution folder, drop-in folder, run folder. System properties {@code james.run.smtp}
 * and {@code james.run.webadmin} (host:port, defaults 127.0.0.1:2525 and 127.0.0.1:8000) choose the listeners.
 * Outbound mail goes to the real MX hosts of recipient domains, through the system's DNS resolvers. Report mails are
 * DKIM-signed with a key kept next to the run folder ({@code james-run-tlsrpt-dkim.pem}), created on the first run.
 */
public final class RunJames {
    private RunJames() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: RunJames <james distribution dir> <drop-in dir> <run dir>");
            System.exit(2);
        }
        String[] smtp = System.getProperty("james.run.smtp", "127.0.0.1:2525").split(":");
        String[] webAdmin = System.getProperty("james.run.webadmin", "127.0.0.1:8000").split(":");
        Path dkimKey = dkimKey(Path.of(args[2]));
        JamesServerProcess james = JamesServerProcess.builder(JamesDistribution.at(Path.of(args[0])), Path.of(args[1]))
                .workingDirectory(Path.of(args[2]))
                .dkimKey(dkimKey)
                .smtp(smtp[0], Integer.parseInt(smtp[1]))
                .webAdmin(webAdmin[0], Integer.parseInt(webAdmin[1]))
                .systemNameResolution()
                .startTimeout(Duration.ofMinutes(3))
                .start();
        System.out.println();
        System.out.println("James 3.8.1 with MTA-STS / TLS-RPT is running (Ctrl-C stops it):");
        System.out.println("  SMTP      " + james.smtpAddress().getHostString() + ":" + james.smtpAddress().getPort()
                + "  (relays for 127.0.0.0/8)");
        System.out.println("  WebAdmin  " + james.webAdminUri("/"));
        System.out.println("  folder    " + james.workingDirectory() + "  (conf/, var/, james.log)");
        System.out.println("  DKIM      report mails are signed with " + dkimKey + " (kept across runs); for the"
                + " example's submitter domain its record is:");
        System.out.println("            " + DkimKeyRecord.zoneFileLine("tlsrpt",
                DomainName.parseHostName("localhost").name().orElseThrow(),
                DkimKeyFile.publicKeyOf(DkimKeyFile.read(dkimKey))));
        System.out.println();
        follow(james);
    }

    /**
     * The report mailet's DKIM key, next to the run folder (which every start recreates), so its DNS record stays
     * valid across runs; created on the first run.
     */
    private static Path dkimKey(Path runDirectory) throws IOException {
        Path key = runDirectory.toAbsolutePath().resolveSibling(runDirectory.getFileName() + "-tlsrpt-dkim.pem");
        if (!Files.exists(key)) {
            DkimKeyFile.write(key, (RSAPrivateCrtKey) DkimKeyFile.generate().getPrivate(), false);
        }
        return key;
    }

    /** Copies the James log to the console until James exits. */
    private static void follow(JamesServerProcess james) throws IOException, InterruptedException {
        try (RandomAccessFile log = new RandomAccessFile(james.logFile().toFile(), "r")) {
            byte[] buffer = new byte[8192];
            while (true) {
                int read = log.read(buffer);
                if (read > 0) {
                    System.out.print(new String(buffer, 0, read, StandardCharsets.UTF_8));
                } else if (!james.isAlive()) {
                    System.out.println("James stopped with exit code " + james.waitForExit());
                    return;
                } else {
                    Thread.sleep(200);
                }
            }
        }
    }
}
