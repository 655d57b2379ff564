package io.github.jamesmtasts.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.github.jamesmtasts.examples.JamesDistribution;
import io.github.jamesmtasts.examples.JamesLauncher;
import io.github.jamesmtasts.examples.JamesServerProcess;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.engine.EngineSettings;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * Not a test (excluded from surefire by the bench package): a real James 3.8.1 with {@code MtaStsRemoteDelivery} and
 * a second one with stock {@code RemoteDelivery} ({@code startTLS=true}) run side by side and deliver to the same MX
 * (STARTTLS, valid certificate) for one {@code enforce} domain whose policy is cached during the warm-up. After
 * {@code bench.warmUp} mails to each (default 300: JIT, pools, the policy), {@code bench.rounds} rounds (default 5)
 * each send {@code bench.mails} mails (default 1000) to both, in alternating order (odd rounds ours first, even
 * rounds stock first, so that drift of the shared machine hits both alike). Per round and James: mails/s from the
 * first submission to the last arrival at the MX, and the whole James process's CPU time (user + system of every
 * thread, {@code /proc/<pid>/stat}) over the same interval divided by the mails; then the median of the per-round
 * ratios ours / stock. Figures go to stdout and to {@code bench-delivery.txt} in the build folder; docs/benchmarks.md
 * "Delivery: MtaStsRemoteDelivery vs RemoteDelivery" has the command and the results. The only check is that every
 * mail arrived over TLS. Both mailets deliver with the same concurrency (see {@link #stockConcurrency()}).
 * {@code -Dbench.jfr=true} records a JFR profile of each James ({@code james.jfr} in its run folder; JFR costs CPU
 * too, so profile and timing are separate runs); {@code -Dbench.jamesJvmArg=...} passes one more argument to both
 * James JVMs.
 */
class DeliveryBenchmark {
    private static final String DOMAIN = "bench.test";
    private static final String MX_HOST = "mx.bench.test";
    private static final String DNS_IP = "127.0.31.53";
    private static final String MX_IP = "127.0.31.25";
    private static final String POLICY_IP = "127.0.31.80";
    private static final String JAMES_IP = "127.0.31.1";
    private static final String PASSWORD = "changeit";
    private static final int SUBMITTERS = 4;
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);

    @Test
    void mtaStsRemoteDeliveryVersusStockRemoteDelivery() throws Exception {
        int mails = Integer.getInteger("bench.mails", 1000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        int warmUp = Integer.getInteger("bench.warmUp", 300);
        Path runs = Path.of(System.getProperty("james.work.dir"));
        Files.createDirectories(runs);
        TestPki pki = TestPki.create("DeliveryBenchmark CA");
        Path trustStore = pki.writePkcs12TrustStore(runs.resolve("bench-ca.p12"), PASSWORD.toCharArray());
        ProcessCpu cpu = ProcessCpu.linux();
        StringBuilder report = new StringBuilder(String.format("DeliveryBenchmark %s, %d warm-up mails, %d mails per round, "
                + "%d rounds, %d cores (%s), Java %s, James JVM arguments %s%n", Instant.now(), warmUp, mails, rounds,
                Runtime.getRuntime().availableProcessors(), ProcessCpu.cpuModel(), System.getProperty("java.vm.version"),
                jamesJvmArguments()));
        ExecutorService policyThreads = Executors.newFixedThreadPool(2);
        HttpsServer policyHost = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(POLICY_IP), 443), 0);
        try (LoopbackDnsServer dns = LoopbackDnsServer.start(DNS_IP, 53);
             TestSmtpServer mx = TestSmtpServer.builder().bindAddress(MX_IP).port(25).greetingName(MX_HOST)
                     .startTls(pki.issue(MX_HOST)).maxConcurrentSessions(64).start()) {
            dns.zone(DOMAIN).mx(DOMAIN, 10, MX_HOST).a(MX_HOST, MX_IP).txt("_mta-sts." + DOMAIN, "v=STSv1; id=b1;");
            servePolicy(policyHost, policyThreads, pki);
            try (JamesServerProcess ours = mtaSts(trustStore).start();
                 JamesServerProcess stock = stock(trustStore).start()) {
                // The warm-up also warms THIS JVM (the MX's server side of TLS and the submitter).
                report.append(String.format("warm-up: ours %s; stock %s%n", measure(ours, mx, cpu, warmUp),
                        measure(stock, mx, cpu, warmUp)));
                List<Double> throughputRatios = new ArrayList<>();
                List<Double> cpuRatios = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    boolean oursFirst = round % 2 == 1;
                    Measurement first = measure(oursFirst ? ours : stock, mx, cpu, mails);
                    Measurement second = measure(oursFirst ? stock : ours, mx, cpu, mails);
                    Measurement o = oursFirst ? first : second;
                    Measurement s = oursFirst ? second : first;
                    throughputRatios.add(o.mailsPerSecond() / s.mailsPerSecond());
                    cpuRatios.add(o.cpuMillisPerMail() / s.cpuMillisPerMail());
                    report.append(String.format("round %d (%s first): ours %s; stock %s; throughput ratio %.3f, "
                            + "CPU per mail ratio %.3f%n", round, oursFirst ? "ours" : "stock", o, s,
                            throughputRatios.get(round - 1), cpuRatios.get(round - 1)));
                }
                report.append(String.format("median of %d rounds: throughput ratio ours/stock %.3f (target >= 0.98), "
                        + "CPU per mail ratio ours/stock %.3f (target <= 1.02)%n", rounds, median(throughputRatios),
                        median(cpuRatios)));
            }
        } finally {
            policyHost.stop(0);
            policyThreads.shutdownNow();
        }
        System.out.print(report);
        Files.write(runs.getParent().resolve("bench-delivery.txt"), report.toString().getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static JamesLauncher mtaSts(Path trustStore) {
        return launcher("bench-mtasts")
                .confFile("mta-sts.properties", EngineSettings.FETCH_ALLOW_NETWORKS + "=127.0.0.0/8\n"
                        + EngineSettings.FETCH_TRUST_STORE + "=" + trustStore + "\n"
                        + EngineSettings.FETCH_TRUST_STORE_PASSWORD + "=" + PASSWORD + "\n"
                        // e.g. -Dbench.mtaStsProperties=recorder.commitWait=0s to measure without the group-commit wait
                        + System.getProperty("bench.mtaStsProperties", "").replace(';', '\n') + "\n")
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE, trustStore.toString())
                .mailetParameter(MtaStsDeliverySettings.TRUST_STORE_PASSWORD, PASSWORD)
                .mailetParameter(MtaStsDeliverySettings.DELIVERY_THREADS, String.valueOf(stockConcurrency()));
    }

    /**
     * Equal concurrency for both mailets: stock 3.8.1 RemoteDelivery has no deliveryThreads parameter (the example
     * configuration's value only reaches our mailet); its DeliveryRunnable delivers on Reactor's default bounded
     * elastic size, 10 threads per core (flatMap concurrency 256). James runs on this machine, so it sees the same
     * core count.
     */
    private static int stockConcurrency() {
        return 10 * Runtime.getRuntime().availableProcessors();
    }

    private static JamesLauncher stock(Path trustStore) {
        // The stock mailet can only use the JVM trust store.
        return launcher("bench-stock").deliveryMailetClass("RemoteDelivery").trustStore(trustStore, PASSWORD);
    }

    private static List<String> jamesJvmArguments() {
        List<String> arguments = new ArrayList<>();
        // The harness starts James with C1 only (quick start for tests); a production James compiles with C2 too.
        arguments.add("-XX:TieredStopAtLevel=4");
        String extraArgument = System.getProperty("bench.jamesJvmArg", "");
        if (!extraArgument.isEmpty()) {
            arguments.add(extraArgument); // e.g. -Djavax.net.debug=ssl:handshake
        }
        return arguments;
    }

    private static JamesLauncher launcher(String name) {
        Path workingDirectory = Path.of(System.getProperty("james.work.dir")).resolve(name);
        JamesLauncher launcher = JamesServerProcess.builder(JamesDistribution.at(Path.of(System.getProperty("james.distribution.dir"))),
                        Path.of(System.getProperty("james.dropin.dir")))
                .workingDirectory(workingDirectory)
                .smtp(JAMES_IP, 0).webAdmin(JAMES_IP, 0).dnsServer(DNS_IP)
                .hostsEntry(MX_HOST, MX_IP).hostsEntry("mta-sts." + DOMAIN, POLICY_IP)
                .mailetParameter("delayTime", "1000, 2000");
        jamesJvmArguments().forEach(launcher::jvmArgument);
        if (Boolean.getBoolean("bench.jfr")) {
            // A profile of James for the whole run, written when James stops: <run folder>/james.jfr.
            launcher.jvmArgument("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + workingDirectory.resolve("james.jfr"));
        }
        return launcher;
    }

    /** Times {@code mails} mails from the first submission to the last arrival, with James's CPU over that time. */
    private static Measurement measure(JamesServerProcess james, TestSmtpServer mx, ProcessCpu cpu, int mails) throws Exception {
        int before = mx.messages().size();
        double loadBefore = ProcessCpu.loadAverage();
        long cpuBefore = cpu.cpuMillis(james.pid());
        long start = System.nanoTime();
        submit(james, mails);
        mx.awaitMessages(before + mails, MAX_WAIT);
        long delivered = System.nanoTime();
        long cpuAfter = cpu.cpuMillis(james.pid());
        List<ReceivedMessage> received = mx.messages();
        assertThat(received).hasSize(before + mails);
        assertThat(received.subList(before, before + mails))
                .allSatisfy(message -> assertThat(message.tlsProtocol()).isPresent());
        return new Measurement(mails, (delivered - start) / 1e9, cpuAfter - cpuBefore, loadBefore, ProcessCpu.loadAverage());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One James's figures for one batch of mails. */
    private static final class Measurement {
        private final int mails;
        private final double seconds;
        private final long cpuMillis;
        private final double loadBefore;
        private final double loadAfter;

        Measurement(int mails, double seconds, long cpuMillis, double loadBefore, double loadAfter) {
            this.mails = mails;
            this.seconds = seconds;
            this.cpuMillis = cpuMillis;
            this.loadBefore = loadBefore;
            this.loadAfter = loadAfter;
        }

        double mailsPerSecond() {
            return mails / seconds;
        }

        double cpuMillisPerMail() {
            return (double) cpuMillis / mails;
        }

        @Override
        public String toString() {
            return String.format("%.1f mails/s (%d in %.2f s), %.2f ms CPU/mail (%.2f s), load %.1f-%.1f",
                    mailsPerSecond(), mails, seconds, cpuMillisPerMail(), cpuMillis / 1000.0, loadBefore, loadAfter);
        }
    }

    /** {@code count} mails over {@link #SUBMITTERS} parallel SMTP connections, so that submission outpaces delivery. */
    private static void submit(JamesServerProcess james, int count) throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                int first = s;
                done.add(submitters.submit(() -> {
                    submitEvery(james, first, SUBMITTERS, count);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            submitters.shutdownNow();
        }
    }

    private static void submitEvery(JamesServerProcess james, int first, int step, int count) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.localhost", "bench.submitter.test");
        Session session = Session.getInstance(props);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(james.smtpAddress().getAddress().getHostAddress(), james.smtpAddress().getPort(), null, null);
            for (int i = first; i < count; i += step) {
                MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress("bench@senders.test"));
                message.setRecipient(Message.RecipientType.TO, new InternetAddress("user" + i + "@" + DOMAIN));
                message.setSubject("bench " + i);
                message.setText("Benchmark mail " + i + ".\n");
                message.saveChanges();
                transport.sendMessage(message, message.getAllRecipients());
            }
        }
    }

    private static void servePolicy(HttpsServer server, ExecutorService threads, TestPki pki) {
        byte[] policy = "version: STSv1\nmode: enforce\nmx: mx.bench.test\nmax_age: 86400\n".getBytes(StandardCharsets.US_ASCII);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.issue("mta-sts." + DOMAIN).serverContext()));
        server.setExecutor(threads);
        server.createContext("/.well-known/mta-sts.txt", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, policy.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(policy);
            }
        });
        server.start();
    }
}
