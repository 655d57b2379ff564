package io.github.jamesmtasts.examples;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyFile;

/**
 * Prepares a fresh James working directory (app jar + lib, our extensions-jars, the example conf edited for this
 * run, a hosts file) and starts {@code org.apache.james.MemoryJamesServerMain} in a separate JVM.
 *
 * <p>Name resolution: the James JVM gets {@code -Djdk.net.hosts.file}, so it resolves host names only from the
 * generated file: localhost, this machine's host name (James needs {@code InetAddress.getLocalHost()}) and the
 * entries added with {@link #hostsEntry}. With {@code startTLS} James connects to MX hosts by name through that
 * resolver, so tests map every MX name to its 127.0.0.x address there; MX/TXT records come from
 * {@link #dnsServer(String)} (always port 53: James's DNS client has no port setting).
 */
public final class JamesLauncher {
    /** Where the example's TlsRptReportMailet reads its DKIM key (its default dkimPrivateKey), relative to conf/. */
    public static final String DKIM_KEY_FILE = "tlsrpt-dkim.pem";
    private final JamesDistribution distribution;
    private final Path dropIn;
    private Path workingDirectory;
    private String smtpIp = "127.0.0.1";
    private int smtpPort;
    private String webAdminIp = "127.0.0.1";
    private int webAdminPort;
    private final List<String> dnsServers = new ArrayList<>();
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private Optional<Path> trustStore = Optional.empty();
    private String trustStorePassword = "";
    private Optional<Path> inboundKeystore = Optional.empty();
    private String inboundKeystoreSecret = "";
    private Optional<String> deliveryMailetClass = Optional.empty();
    private final Map<String, String> mailetParameters = new LinkedHashMap<>();
    private final Map<String, String> confFiles = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> confProperties = new LinkedHashMap<>();
    private final List<String> excludedJars = new ArrayList<>();
    private final List<String> jvmArguments = new ArrayList<>();
    private Duration startTimeout = Duration.ofMinutes(3);
    private boolean systemNameResolution;
    private Optional<Path> dkimKey = Optional.empty();
    private String mainClass = JamesDistribution.MAIN_CLASS;
    private final List<Path> extraClassPath = new ArrayList<>();

    JamesLauncher(JamesDistribution distribution, Path dropIn) {
        this.distribution = Objects.requireNonNull(distribution, "distribution");
        this.dropIn = Objects.requireNonNull(dropIn, "dropIn").toAbsolutePath();
    }

    /** Where James runs; deleted and recreated on start. */
    public JamesLauncher workingDirectory(Path directory) {
        this.workingDirectory = directory.toAbsolutePath();
        return this;
    }

    /** SMTP listener (port 0: a free port). */
    public JamesLauncher smtp(String ip, int port) {
        this.smtpIp = ip;
        this.smtpPort = port;
        return this;
    }

    /** WebAdmin listener (port 0: a free port). */
    public JamesLauncher webAdmin(String ip, int port) {
        this.webAdminIp = ip;
        this.webAdminPort = port;
        return this;
    }

    /** Use only this DNS server (port 53) instead of autodiscovery. */
    public JamesLauncher dnsServer(String ip) {
        this.dnsServers.add(ip);
        return this;
    }

    public JamesLauncher hostsEntry(String name, String ip) {
        this.hosts.put(name, ip);
        return this;
    }

    /** PKCS12 trust store for James's outbound TLS (javax.net.ssl.trustStore): how tests make James trust the test CA. */
    public JamesLauncher trustStore(Path pkcs12, String password) {
        this.trustStore = Optional.of(pkcs12.toAbsolutePath());
        this.trustStorePassword = password;
        return this;
    }

    /**
     * Offer STARTTLS on James's SMTP listener with this PKCS12 key store (copied to conf/keystore, which James
     * requires as soon as TLS is enabled).
     */
    public JamesLauncher inboundStartTls(Path pkcs12, String secret) {
        this.inboundKeystore = Optional.of(pkcs12.toAbsolutePath());
        this.inboundKeystoreSecret = secret;
        return this;
    }

    /** Replace the delivery mailet class of the example (e.g. stock "RemoteDelivery" for a baseline run). */
    public JamesLauncher deliveryMailetClass(String mailetClass) {
        this.deliveryMailetClass = Optional.of(mailetClass);
        return this;
    }

    /** Set an init parameter of the delivery mailet (e.g. "delayTime", "mtasts.domainOverrides"). */
    public JamesLauncher mailetParameter(String name, String value) {
        this.mailetParameters.put(name, value);
        return this;
    }

    /** Replace a whole conf file (name relative to conf/, e.g. "extensions.properties"). */
    public JamesLauncher confFile(String name, String content) {
        this.confFiles.put(name, content);
        return this;
    }

    /**
     * Sets one key of a {@code conf/} properties file after every other change to it (e.g. a database path outside
     * the working directory, which a restart in a fresh working directory keeps using).
     */
    public JamesLauncher confProperty(String file, String key, String value) {
        this.confProperties.computeIfAbsent(file, f -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    /** Leave out extensions-jars whose file name starts with {@code prefix} (to prove the jar is needed). */
    public JamesLauncher withoutExtensionJar(String prefix) {
        this.excludedJars.add(prefix);
        return this;
    }

    /**
     * Resolve host names like any JVM (system resolver) instead of only from the generated hosts file: for
     * {@link RunJames}, which delivers real mail. Tests never use this.
     */
    public JamesLauncher systemNameResolution() {
        this.systemNameResolution = true;
        return this;
    }

    public JamesLauncher jvmArgument(String argument) {
        this.jvmArguments.add(argument);
        return this;
    }

    /**
     * The TLS-RPT report mailet's DKIM private key (PKCS#8 PEM), copied to {@code conf/tlsrpt-dkim.pem} where the
     * example configuration reads it. Without it each start writes a freshly generated key there: the example signs
     * report mails and does not start without a key.
     */
    public JamesLauncher dkimKey(Path pem) {
        this.dkimKey = Optional.of(pem);
        return this;
    }

    /**
     * Starts James through {@code className}, found in {@code jar}, instead of the memory app's own main class: one
     * that starts the same memory app with Guice modules of its own overriding some of James's bindings (James
     * applies {@code extensions.properties} modules in a child injector, which cannot replace a binding James
     * already has). The jar goes on the class path after the app jar.
     */
    public JamesLauncher mainClass(String className, Path jar) {
        this.mainClass = Objects.requireNonNull(className, "className");
        this.extraClassPath.add(jar.toAbsolutePath());
        return this;
    }

    public JamesLauncher startTimeout(Duration timeout) {
        this.startTimeout = timeout;
        return this;
    }

    /**
     * Prepares the working directory, starts James and waits until SMTP greets and WebAdmin's healthcheck is green.
     *
     * @throws JamesStartupException with the log tail when James exits or is not ready in time
     */
    public JamesServerProcess start() {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        try {
            prepareWorkingDirectory();
            InetSocketAddress smtp = new InetSocketAddress(InetAddress.getByName(smtpIp), smtpPort == 0 ? freePort(smtpIp) : smtpPort);
            InetSocketAddress webAdmin = new InetSocketAddress(InetAddress.getByName(webAdminIp),
                    webAdminPort == 0 ? freePort(webAdminIp) : webAdminPort);
            writeConf(smtp, webAdmin);
            Path hostsFile = writeHostsFile();
            Path log = workingDirectory.resolve("james.log");
            Process process = new ProcessBuilder(command(hostsFile)).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            JamesServerProcess james = new JamesServerProcess(process, workingDirectory, log, smtp, webAdmin);
            james.awaitReady(startTimeout);
            return james;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare or start James in " + workingDirectory, e);
        }
    }

    private void prepareWorkingDirectory() throws IOException {
        Folders.deleteRecursively(workingDirectory);
        Files.createDirectories(workingDirectory);
        // Links, not copies: the lib folder is 270 jars; Class-Path entries resolve relative to the link's folder.
        Files.createSymbolicLink(workingDirectory.resolve(JamesDistribution.APP_JAR), distribution.appJar());
        Files.createSymbolicLink(workingDirectory.resolve(JamesDistribution.LIB_DIR), distribution.libDirectory());
        Path extensions = Files.createDirectories(workingDirectory.resolve("extensions-jars"));
        try (Stream<Path> jars = Files.list(dropIn.resolve("extensions-jars"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                String name = jar.getFileName().toString();
                if (excludedJars.stream().noneMatch(name::startsWith)) {
                    Files.copy(jar, extensions.resolve(name));
                }
            }
        }
        Folders.copyTree(dropIn.resolve("conf"), workingDirectory.resolve("conf"));
    }

    private void writeConf(InetSocketAddress smtp, InetSocketAddress webAdmin) throws IOException {
        Path conf = workingDirectory.resolve("conf");
        ConfFiles.setXmlText(conf.resolve("smtpserver.xml"), "smtpserver/bind", smtpIp + ":" + smtp.getPort());
        ConfFiles.setProperty(conf.resolve("webadmin.properties"), "host", webAdminIp);
        ConfFiles.setProperty(conf.resolve("webadmin.properties"), "port", String.valueOf(webAdmin.getPort()));
        if (inboundKeystore.isPresent()) {
            Files.copy(inboundKeystore.get(), conf.resolve("keystore"), StandardCopyOption.REPLACE_EXISTING);
            ConfFiles.setXmlAttribute(conf.resolve("smtpserver.xml"), "smtpserver/tls", "startTLS", "true");
            ConfFiles.setXmlText(conf.resolve("smtpserver.xml"), "smtpserver/tls/keystore", "file://conf/keystore");
            ConfFiles.setXmlText(conf.resolve("smtpserver.xml"), "smtpserver/tls/keystoreType", "PKCS12");
            ConfFiles.setXmlText(conf.resolve("smtpserver.xml"), "smtpserver/tls/secret", inboundKeystoreSecret);
        }
        // Several James processes may run side by side: no fixed JMX port.
        ConfFiles.setProperty(conf.resolve("jmx.properties"), "jmx.enabled", "false");
        if (!dnsServers.isEmpty()) {
            ConfFiles.setXmlText(conf.resolve("dnsservice.xml"), "autodiscover", "false");
            ConfFiles.setXmlList(conf.resolve("dnsservice.xml"), "servers", "server", dnsServers);
        }
        Path mailetContainer = conf.resolve("mailetcontainer.xml");
        String deliveryClass = ExampleConf.DELIVERY_MAILET;
        if (deliveryMailetClass.isPresent()) {
            ConfFiles.replaceMailetClass(mailetContainer, deliveryClass, deliveryMailetClass.get());
            deliveryClass = deliveryMailetClass.get();
        }
        for (Map.Entry<String, String> parameter : mailetParameters.entrySet()) {
            ConfFiles.setMailetParameter(mailetContainer, deliveryClass, parameter.getKey(), parameter.getValue());
        }
        for (Map.Entry<String, String> file : confFiles.entrySet()) {
            Files.write(conf.resolve(file.getKey()), file.getValue().getBytes(StandardCharsets.UTF_8));
        }
        confProperties.forEach((file, properties) -> properties.forEach((key, value) ->
            ConfFiles.setProperty(conf.resolve(file), key, value)));
        Path key = conf.resolve(DKIM_KEY_FILE);
        if (dkimKey.isPresent()) {
            Files.copy(dkimKey.get(), key, StandardCopyOption.REPLACE_EXISTING);
        } else if (!Files.exists(key)) {
            DkimKeyFile.write(key, (RSAPrivateCrtKey) DkimKeyFile.generate().getPrivate(), false);
        }
    }

    private Path writeHostsFile() throws IOException {
        StringBuilder content = new StringBuilder("127.0.0.1 localhost\n");
        content.append("127.0.0.1 ").append(MachineHostName.get()).append('\n');
        hosts.forEach((name, ip) -> content.append(ip).append(' ').append(name).append('\n'));
        Path file = workingDirectory.resolve("hosts");
        Files.write(file, content.toString().getBytes(StandardCharsets.US_ASCII));
        return file;
    }

    private List<String> command(Path hostsFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // Quick start matters more than peak speed for short runs.
        command.add("-XX:TieredStopAtLevel=1");
        if (!systemNameResolution) {
            command.add("-Djdk.net.hosts.file=" + hostsFile);
        }
        command.add("-Dworking.directory=" + workingDirectory);
        // James's start scripts pass this too; without it logback ignores conf/logback.xml and logs everything at DEBUG.
        command.add("-Dlogback.configurationFile=" + workingDirectory.resolve("conf").resolve("logback.xml"));
        trustStore.ifPresent(store -> {
            command.add("-Djavax.net.ssl.trustStore=" + store);
            command.add("-Djavax.net.ssl.trustStoreType=PKCS12");
            command.add("-Djavax.net.ssl.trustStorePassword=" + trustStorePassword);
        });
        command.addAll(jvmArguments);
        command.add("-cp");
        StringBuilder classPath = new StringBuilder(workingDirectory.resolve(JamesDistribution.APP_JAR).toString());
        extraClassPath.forEach(jar -> classPath.append(File.pathSeparatorChar).append(jar));
        command.add(classPath.toString());
        command.add(mainClass);
        return command;
    }

    private static int freePort(String ip) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
            return socket.getLocalPort();
        }
    }
}
