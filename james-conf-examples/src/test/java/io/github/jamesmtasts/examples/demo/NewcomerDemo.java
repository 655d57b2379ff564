package io.github.jamesmtasts.examples.demo;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import io.github.jamesmtasts.examples.JamesDistribution;
import io.github.jamesmtasts.examples.JamesServerProcess;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyRecord;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.TestDkim;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * The newcomer demo (README's main command, {@code ./mvnw -B -Pdemo -DskipTests package}): starts a {@link Sandbox}
 * on 127.0.77.0/24 and a real James 3.8.1 with this extension pointed at it, sends three mails (an MTA-STS
 * {@code enforce} domain with a bad and a good MX, a {@code testing} domain whose MX certificate expired, a domain
 * without policy), tells what happened to each and shows the TLS-RPT reports the next day would send. Then James
 * keeps running until Ctrl-C, unless {@code -Ddemo.exit=true} (or {@code DEMO_EXIT=true}) asks to stop at once.
 *
 * <p>Arguments: James distribution folder, drop-in folder, run folder. Needs root (ports 53, 443 and 25).
 */
public final class NewcomerDemo implements AutoCloseable {
    /** The sandbox network of the demo: nothing else uses 127.0.77.0/24. */
    public static final String PREFIX = "127.0.77.";
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    private final JamesDistribution distribution;
    private final Path dropIn;
    private final Path runDirectory;
    private final String prefix;
    private final int smtpPort;
    private final int webAdminPort;
    private final PrintStream out;
    private Sandbox sandbox;
    private JamesServerProcess james;

    /** @param smtpPort, webAdminPort James's listeners on {@code prefix}1 (0: any free port) */
    public NewcomerDemo(JamesDistribution distribution, Path dropIn, Path runDirectory, String prefix, int smtpPort,
            int webAdminPort, PrintStream out) {
        this.distribution = distribution;
        this.dropIn = dropIn;
        this.runDirectory = runDirectory.toAbsolutePath();
        this.prefix = prefix;
        this.smtpPort = smtpPort;
        this.webAdminPort = webAdminPort;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: NewcomerDemo <james distribution dir> <drop-in dir> <run dir>");
            System.exit(2);
        }
        boolean exit = Boolean.getBoolean("demo.exit") || "true".equalsIgnoreCase(System.getenv("DEMO_EXIT"));
        NewcomerDemo demo = new NewcomerDemo(JamesDistribution.at(Path.of(args[0])), Path.of(args[1]), Path.of(args[2]),
            PREFIX, 2525, 8000, System.out);
        try {
            demo.run();
        } catch (IllegalStateException e) {
            demo.close();
            System.err.println();
            System.err.println("The demo could not start: " + e.getMessage());
            System.exit(1);
        }
        if (exit) {
            demo.close();
            return;
        }
        demo.printExploration();
        // Ctrl-C ends this JVM; JamesServerProcess's shutdown hook stops James.
        demo.james.waitForExit();
    }

    /** Starts the sandbox and James, sends the mails and prints what happened and the TLS-RPT reports. */
    public void run() throws MessagingException, InterruptedException {
        out.println("Starting the sandbox on " + prefix + "0/24: DNS on " + prefix + "53:53, MTA-STS policy hosts and a"
            + " TLS-RPT collector on " + prefix + "43:443, SMTP servers on port 25 ...");
        sandbox = Sandbox.start(prefix);
        out.println("Starting James 3.8.1 with the extension (takes 10-30 s) ...");
        james = sandbox.configure(JamesServerProcess.builder(distribution, dropIn)
                .workingDirectory(runDirectory)
                .smtp(sandbox.jamesIp(), smtpPort)
                .webAdmin(sandbox.jamesIp(), webAdminPort), dropIn, runDirectory.resolveSibling(runDirectory.getFileName() + "-files"))
            .start();
        out.println("James is up. Sending three mails through it (SMTP " + address() + ") ...");
        submit("bob@" + Sandbox.ENFORCE, "demo 1: enforce");
        submit("carol@" + Sandbox.TESTING, "demo 2: testing");
        submit("dave@" + Sandbox.PLAIN, "demo 3: no policy");
        awaitMessage(sandbox.mx(Sandbox.GOOD_ENFORCE_MX));
        awaitMessage(sandbox.mx(Sandbox.TESTING_MX));
        awaitMessage(sandbox.mx(Sandbox.PLAIN_MX));
        awaitSessionsCounted(4);

        out.println();
        out.println("=== What happened to each mail ===");
        MailFates fates = new MailFates(sandbox, james);
        print(fates.describe("bob@" + Sandbox.ENFORCE, "demo 1: enforce", Sandbox.ENFORCE,
            List.of(Sandbox.BAD_ENFORCE_MX, Sandbox.GOOD_ENFORCE_MX)));
        print(fates.describe("carol@" + Sandbox.TESTING, "demo 2: testing", Sandbox.TESTING, List.of(Sandbox.TESTING_MX)));
        print(fates.describe("dave@" + Sandbox.PLAIN, "demo 3: no policy", Sandbox.PLAIN, List.of(Sandbox.PLAIN_MX)));
        out.println();
        out.println("=== TLS-RPT (RFC 8460): the reports tomorrow would send for today ===");
        out.println("Each domain publishes _smtp._tls: \"" + Sandbox.TLSRPT_RECORD + "\"");
        for (String domain : List.of(Sandbox.ENFORCE, Sandbox.TESTING, Sandbox.PLAIN)) {
            String path = "/tlsrpt/days/today/reports/" + domain;
            HttpResponse<String> report = james.webAdmin("GET", path, null);
            out.println();
            out.println("GET " + path + "  ->  " + report.statusCode());
            out.println(report.statusCode() == 200 ? JsonIndent.indent(report.body()) : report.body());
        }
        out.println();
        showSignedReportMails();
    }

    /** RFC 8460 3: sends today's reports so far and checks each mail's DKIM signature as a receiver would. */
    private void showSignedReportMails() throws InterruptedException {
        out.println("=== DKIM (RFC 8460 3): report mails are signed by the submitter domain ===");
        out.println("The demo generated a key for James (conf/tlsrpt-dkim.pem) and published its public half in the"
            + " sandbox DNS, as 'mta-sts dkim-keygen' tells you to:");
        out.println("  " + DkimKeyRecord.zoneFileLine(Sandbox.DKIM_SELECTOR, Sandbox.SUBMITTER_NAME, TestDkim.publicKey()));
        String path = "/tlsrpt/days/today/reports?action=resend&partial=true";
        HttpResponse<String> sent = james.webAdmin("POST", path, null);
        out.println("POST " + path + "  ->  " + sent.statusCode());
        TestSmtpServer collector = sandbox.mx(Sandbox.COLLECTOR_MX);
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (collector.messages().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        for (ReceivedMessage mail : collector.messages()) {
            String domain = header(mail.dataAsString(), "TLS-Report-Domain");
            try {
                sandbox.verifyDkim(mail.data()).forEach(signature -> out.println("  report mail for " + domain
                    + ": DKIM signature verified (d=" + signature.getDToken() + ", s=" + signature.getSelector()
                    + ", key looked up in DNS, checked with jDKIM)"));
            } catch (Exception e) {
                out.println("  report mail for " + domain + ": DKIM signature NOT verified: " + e.getMessage());
            }
        }
        out.println();
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "(no " + name + ")";
    }

    /** How to explore the running James. */
    public void printExploration() {
        String web = "http://" + james.webAdminAddress().getHostString() + ":" + james.webAdminAddress().getPort();
        out.println("=== James keeps running with the sandbox: explore, then Ctrl-C to stop both ===");
        out.println("  SMTP      " + address() + "  (relays for 127.0.0.0/8; anyone@enforce.test, @testing.test, @plain.test)");
        out.println("  WebAdmin  " + web + "/");
        out.println("  folder    " + james.workingDirectory() + "  (conf/, var/, james.log)");
        out.println();
        out.println("  curl -s " + web + "/mta-sts/policies");
        out.println("  curl -s " + web + "/mta-sts/policies/enforce.test");
        out.println("  curl -s " + web + "/tlsrpt/days/today");
        out.println("  curl -s " + web + "/tlsrpt/days/today/reports/enforce.test");
        out.println("  curl -s -X POST '" + web + "/tlsrpt/days/today/reports?action=resend&partial=true'"
            + "   # send today's reports so far to the sandbox collector");
        out.println("  printf 'Subject: hello\\r\\n\\r\\nhi\\r\\n' | curl -s smtp://" + address() + " --mail-from alice@localhost"
            + " --mail-rcpt bob@enforce.test -T -");
        out.println("  tail -f " + james.logFile());
        out.println();
    }

    private String address() {
        return james.smtpAddress().getAddress().getHostAddress() + ":" + james.smtpAddress().getPort();
    }

    private void print(List<String> lines) {
        lines.forEach(out::println);
    }

    private void submit(String to, String subject) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", james.smtpAddress().getAddress().getHostAddress());
        props.put("mail.smtp.port", String.valueOf(james.smtpAddress().getPort()));
        props.put("mail.smtp.localhost", "demo.test");
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "30000");
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("alice@localhost"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("Hello from the MTA-STS / TLS-RPT demo.");
        Transport.send(message);
        out.println("  sent \"" + subject + "\" to " + to);
    }

    // Polling other processes' effects (James delivering, its recorder flushing every second): nothing to wait on here.
    private void awaitMessage(TestSmtpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (server.messages().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
    }

    private void awaitSessionsCounted(int sessions) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (System.nanoTime() < deadline) {
            String body = james.webAdmin("GET", "/tlsrpt/days/today", null).body();
            if (count(body, "successfulSessions") + count(body, "failedSessions") >= sessions) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The day's total: the largest of the per-domain counts and the day's own. */
    private static long count(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        long max = 0;
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
        }
        return max;
    }

    @Override
    public void close() {
        if (james != null) {
            james.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
