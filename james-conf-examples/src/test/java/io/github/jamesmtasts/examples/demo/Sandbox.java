package io.github.jamesmtasts.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.xbill.DNS.SimpleResolver;

import io.github.jamesmtasts.examples.JamesLauncher;
import io.github.jamesmtasts.mtasts.engine.EngineSettings;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyRecord;
import io.github.jamesmtasts.tlsrpt.dns.DnsJavaTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;
import io.github.jamesmtasts.tlsrpt.testing.TestHttpsHost;
import io.github.jamesmtasts.tlsrpt.testing.TestDkim;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * A small internet on one loopback /24 ({@code prefix} = e.g. "127.0.77."): an authoritative DNS server on port 53,
 * the MTA-STS policy hosts and a TLS-RPT collector on port 443, and SMTP servers on port 25, all with certificates
 * of a throw-away CA. Ports below 1024 need root (James's DNS client only queries port 53).
 *
 * <ul>
 *   <li>{@code enforce.test}: MTA-STS {@code enforce}; MX {@code mx-bad.enforce.test} (preference 5, certificate
 *       for another name) and {@code mx-good.enforce.test} (preference 10, good certificate).</li>
 *   <li>{@code testing.test}: MTA-STS {@code testing}; MX {@code mx.testing.test} with an expired certificate.</li>
 *   <li>{@code plain.test}: no MTA-STS policy; MX {@code mx.plain.test} with a good certificate.</li>
 *   <li>{@code collector.test}: where TLS-RPT reports go: MX {@code mx.collector.test} for
 *       {@code reports@collector.test} and {@code https://reports.collector.test/tlsrpt}.</li>
 * </ul>
 * Each of the first three publishes {@code _smtp._tls} with both report addresses. The DNS server also publishes the
 * DKIM key of the report submitter ({@code tlsrpt._domainkey.localhost}: the example's contactInfo is
 * {@code tlsrpt@localhost}), whose private key {@link #configure} gives James.
 */
public final class Sandbox implements AutoCloseable {

    public static final String ENFORCE = "enforce.test";
    public static final String TESTING = "testing.test";
    public static final String PLAIN = "plain.test";
    public static final String COLLECTOR = "collector.test";
    public static final String GOOD_ENFORCE_MX = "mx-good.enforce.test";
    public static final String BAD_ENFORCE_MX = "mx-bad.enforce.test";
    public static final String TESTING_MX = "mx.testing.test";
    public static final String PLAIN_MX = "mx.plain.test";
    public static final String COLLECTOR_MX = "mx.collector.test";
    public static final String REPORT_MAILBOX = "reports@" + COLLECTOR;
    public static final String COLLECTOR_HOST = "reports." + COLLECTOR;
    public static final String COLLECTOR_URL = "https://" + COLLECTOR_HOST + "/tlsrpt";
    public static final String TLSRPT_RECORD = "v=TLSRPTv1; rua=mailto:" + REPORT_MAILBOX + "," + COLLECTOR_URL;
    public static final String ENFORCE_POLICY = "version: STSv1\r\nmode: enforce\r\nmx: *.enforce.test\r\nmax_age: 86400\r\n";
    public static final String TESTING_POLICY = "version: STSv1\r\nmode: testing\r\nmx: mx.testing.test\r\nmax_age: 86400\r\n";
    static final String TRUST_STORE_PASSWORD = "changeit";
    /** The example configuration's report submitter domain (contactInfo tlsrpt@localhost) and DKIM selector. */
    public static final String SUBMITTER = "localhost";
    static final DomainName SUBMITTER_NAME = DomainName.parseHostName(SUBMITTER).name().orElseThrow();
    public static final String DKIM_SELECTOR = "tlsrpt";

    private final String prefix;
    private final TestPki pki;
    private final Map<String, TestSmtpServer> mxs = new LinkedHashMap<>();
    private LoopbackDnsServer dns;
    private TestHttpsHost https;
    private String sendWindow = "4h";
    private String tickInterval = "5m";
    private final Map<String, String> mtaStsProperties = new LinkedHashMap<>();

    private Sandbox(String prefix) {
        this.prefix = prefix;
        this.pki = TestPki.create("Sandbox CA " + prefix + "0/24");
    }

    /**
     * Starts every server on {@code prefix}1..254 ({@code prefix} ends with a dot, e.g. "127.0.77.").
     *
     * @throws IllegalStateException saying that root is needed when port 53, 443 or 25 cannot be bound
     */
    public static Sandbox start(String prefix) {
        Sandbox sandbox = new Sandbox(prefix);
        try {
            sandbox.startServers();
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    private void startServers() {
        try {
            dns = LoopbackDnsServer.start(ip(53), 53);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("The sandbox needs a DNS server on " + ip(53) + ":53, because James 3.8.1"
                + " only queries port 53, and binding it failed: run as root (e.g. sudo, or a root container). "
                + e.getMessage(), e);
        }
        dns.zone(ENFORCE).zone(TESTING).zone(PLAIN).zone(COLLECTOR);
        https = TestHttpsHost.start(ip(43), 443, pki.issue("mta-sts." + ENFORCE, "mta-sts." + TESTING, COLLECTOR_HOST).serverContext())
            .policy(ENFORCE, ENFORCE_POLICY).policy(TESTING, TESTING_POLICY);
        Instant now = Instant.now();
        mx(GOOD_ENFORCE_MX, 25, pki.issue(GOOD_ENFORCE_MX));
        // RFC 8461 4.2 / RFC 8460 certificate-host-mismatch: a CA-signed certificate for another name.
        mx(BAD_ENFORCE_MX, 26, pki.issue("mx.elsewhere.test"));
        // RFC 8460 certificate-expired.
        mx(TESTING_MX, 27, pki.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), TESTING_MX));
        mx(PLAIN_MX, 28, pki.issue(PLAIN_MX));
        mx(COLLECTOR_MX, 29, pki.issue(COLLECTOR_MX));
        dns.mx(ENFORCE, 5, BAD_ENFORCE_MX).mx(ENFORCE, 10, GOOD_ENFORCE_MX)
            .mx(TESTING, 10, TESTING_MX).mx(PLAIN, 10, PLAIN_MX).mx(COLLECTOR, 10, COLLECTOR_MX)
            .txt("_mta-sts." + ENFORCE, "v=STSv1; id=20261123enforce")
            .txt("_mta-sts." + TESTING, "v=STSv1; id=20261123testing")
            .a("mta-sts." + ENFORCE, ip(43)).a("mta-sts." + TESTING, ip(43)).a(COLLECTOR_HOST, ip(43));
        for (String domain : new String[] {ENFORCE, TESTING, PLAIN}) {
            dns.txt("_smtp._tls." + domain, TLSRPT_RECORD);
        }
        // Only the _domainkey subtree of the submitter: its other names stay outside the sandbox (REFUSED).
        dns.zone("_domainkey." + SUBMITTER).txt(DkimKeyRecord.name(DKIM_SELECTOR, SUBMITTER_NAME).asString(),
            DkimKeyRecord.strings(TestDkim.txtRecord()).toArray(new String[0]));
    }

    /**
     * Verifies the DKIM signature of a received raw report mail as a receiver would: jDKIM's verifier, the public key
     * looked up in the sandbox DNS.
     *
     * @throws FailException when no signature verifies
     */
    public List<SignatureRecord> verifyDkim(byte[] rawMessage) throws IOException, FailException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(dns.address(), dns.port()));
        resolver.setTimeout(Duration.ofSeconds(5));
        return TestDkim.verify(rawMessage, DnsJavaTxtResolver.using(resolver));
    }

    private void mx(String host, int lastOctet, TestPki.ServerCertificate certificate) {
        try {
            TestSmtpServer server = TestSmtpServer.builder().bindAddress(ip(lastOctet)).port(25).greetingName(host)
                .startTls(certificate).start();
            mxs.put(host, server);
            dns.a(host, ip(lastOctet));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the sandbox SMTP server " + host + " on " + ip(lastOctet)
                + ":25 (needs root): " + e.getMessage(), e);
        }
    }

    /** {@code prefix + lastOctet}, e.g. 127.0.77.53. */
    public String ip(int lastOctet) {
        return prefix + lastOctet;
    }

    /** Where James listens (SMTP and WebAdmin). */
    public String jamesIp() {
        return ip(1);
    }

    public TestPki pki() {
        return pki;
    }

    public LoopbackDnsServer dns() {
        return dns;
    }

    public TestHttpsHost https() {
        return https;
    }

    /** The SMTP servers by MX host name, in the order of the class comment. */
    public Map<String, TestSmtpServer> mxs() {
        return Collections.unmodifiableMap(mxs);
    }

    public TestSmtpServer mx(String host) {
        return mxs.get(host);
    }

    /**
     * The report mailet's {@code sendWindow} and {@code tickInterval} in the James runs {@link #configure} prepares
     * from now on (the example's are 4h and the default 5m).
     */
    public Sandbox reportSchedule(String sendWindow, String tickInterval) {
        this.sendWindow = sendWindow;
        this.tickInterval = tickInterval;
        return this;
    }

    /** A setting added to {@code conf/mta-sts.properties} of the James runs {@link #configure} prepares from now on. */
    public Sandbox mtaStsProperty(String key, String value) {
        this.mtaStsProperties.put(key, value);
        return this;
    }

    /**
     * Points a James run at the sandbox, through configuration only: the sandbox DNS server ({@code dnsservice.xml}),
     * host names (the James JVM's hosts file), the sandbox CA (JVM trust store, and {@code https.trustStore} of the
     * report mailet), the DKIM key whose public half the sandbox DNS publishes, the sandbox network allowed for policy hosts ({@code conf/mta-sts.properties}) and for HTTPS
     * report collectors ({@code https.allowNetworks}), and short retry delays.
     *
     * @param dropIn the drop-in folder whose {@code conf/mailetcontainer.xml} is edited
     * @param files a folder for the trust store
     */
    public JamesLauncher configure(JamesLauncher launcher, Path dropIn, Path files) {
        try {
            Files.createDirectories(files);
            Path trustStore = pki.writePkcs12TrustStore(files.resolve("sandbox-truststore.p12"),
                TRUST_STORE_PASSWORD.toCharArray()).toAbsolutePath();
            launcher.dnsServer(dns.address().getHostAddress())
                .trustStore(trustStore, TRUST_STORE_PASSWORD)
                .dkimKey(TestDkim.writeKey(files.resolve("tlsrpt-dkim.pem")))
                .confFile("mta-sts.properties", mtaStsProperties(dropIn))
                .confFile("mailetcontainer.xml", mailetContainer(dropIn, trustStore));
            for (String host : mxs.keySet()) {
                launcher.hostsEntry(host, mxs.get(host).address().getHostAddress());
            }
            launcher.hostsEntry("mta-sts." + ENFORCE, ip(43)).hostsEntry("mta-sts." + TESTING, ip(43))
                .hostsEntry(COLLECTOR_HOST, ip(43));
            return launcher;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox files in " + files, e);
        }
    }

    /** The example's conf/mta-sts.properties plus the sandbox network for policy hosts (loopback is refused otherwise). */
    private String mtaStsProperties(Path dropIn) throws IOException {
        Path file = dropIn.resolve("conf").resolve("mta-sts.properties");
        String example = Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        StringBuilder properties = new StringBuilder(example).append("\n# Sandbox: its policy hosts are on loopback.\n")
            .append(EngineSettings.FETCH_ALLOW_NETWORKS).append('=').append(prefix).append("0/24\n");
        mtaStsProperties.forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
        return properties.toString();
    }

    private String mailetContainer(Path dropIn, Path trustStore) throws IOException {
        Path file = dropIn.resolve("conf").resolve("mailetcontainer.xml");
        String xml = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        xml = replaceOnce(xml, file, "<sendWindow>4h</sendWindow>", "<sendWindow>" + sendWindow + "</sendWindow>\n"
            + "                <tickInterval>" + tickInterval + "</tickInterval>\n"
            + "                <https.allowNetworks>" + prefix + "0/24</https.allowNetworks>\n"
            + "                <https.trustStore>" + trustStore + "</https.trustStore>\n"
            + "                <https.trustStorePassword>" + TRUST_STORE_PASSWORD + "</https.trustStorePassword>");
        return replaceOnce(xml, file, "<delayTime>4*5 minutes, 4*30 minutes, 6*2 hours, 4*6 hours</delayTime>", "<delayTime>2000, 5000, 10000</delayTime>");
    }

    private static String replaceOnce(String text, Path file, String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalStateException(file + " no longer contains " + from + ": update Sandbox with the example");
        }
        return text.replace(from, to);
    }

    @Override
    public void close() {
        mxs.values().forEach(TestSmtpServer::close);
        if (https != null) {
            https.close();
        }
        if (dns != null) {
            dns.close();
        }
    }
}
