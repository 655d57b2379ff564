package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.jdkim.tagvalue.PublicKeyRecordImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyFile;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyRecord;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.TestDkim;

/** {@code mta-sts dkim-keygen} and {@code dkim-check}, in-process, against a loopback DNS server. */
class DkimCommandsTest {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    @TempDir
    Path dir;

    private static LoopbackDnsServer dns;

    @BeforeAll
    static void startDns() {
        String other = DkimKeyRecord.text(DkimKeyFile.publicKeyOf((RSAPrivateCrtKey) DkimKeyFile.generate().getPrivate()));
        dns = LoopbackDnsServer.start("127.0.0.64", 0).zone("test")
            .txt("tlsrpt._domainkey.match.test", strings(TestDkim.txtRecord()))
            .txt("tlsrpt._domainkey.other.test", strings(other))
            .txt("tlsrpt._domainkey.revoked.test", "v=DKIM1; k=rsa; p=")
            .txt("tlsrpt._domainkey.twice.test", strings(TestDkim.txtRecord()))
            .txt("tlsrpt._domainkey.twice.test", strings(other))
            .txt("tlsrpt._domainkey.sha1.test", strings(TestDkim.txtRecord().replace("k=rsa;", "k=rsa; h=sha1;")))
            .txt("tlsrpt._domainkey.spf.test", "v=spf1 -all")
            .servfail("tlsrpt._domainkey.broken.test");
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    private static String[] strings(String record) {
        return DkimKeyRecord.strings(record).toArray(new String[0]);
    }

    private static final class Run {
        final int status;
        final String out;
        final String err;

        Run(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            this.status = MtaStsCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
            this.out = out.toString(StandardCharsets.UTF_8);
            this.err = err.toString(StandardCharsets.UTF_8);
        }
    }

    private Run check(String domain, Path key) {
        return new Run("dkim-check", "--domain", domain, "--key", key.toString(),
            "--dns", "127.0.0.64:" + dns.port(), "--timeout", "5");
    }

    private Path testKey() throws Exception {
        return TestDkim.writeKey(dir.resolve("conf/tlsrpt-dkim.pem"));
    }

    @Test
    void keygenShouldWriteTheKeyForTheMailetAndPrintTheRecordToPublish() throws Exception {
        Path out = dir.resolve("conf/tlsrpt-dkim.pem");

        Run run = new Run("dkim-keygen", "--domain", "Example.TEST", "--out", out.toString());

        assertThat(run.status).as(run.err).isEqualTo(MtaStsCommand.OK);
        RSAPrivateCrtKey key = DkimKeyFile.read(out);
        assertThat(key.getModulus().bitLength()).isEqualTo(2048);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        String line = run.out.lines().filter(l -> l.startsWith("tlsrpt._domainkey.example.test. IN TXT \""))
            .findFirst().orElseThrow();
        List<String> strings = new ArrayList<>();
        Matcher m = QUOTED.matcher(line);
        while (m.find()) {
            strings.add(m.group(1));
        }
        assertThat(strings).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(255));
        // What DNS hands a verifier: the strings joined; jDKIM must read the configured key from it.
        PublicKeyRecordImpl published = new PublicKeyRecordImpl(String.join("", strings));
        published.validate();
        assertThat(published.getPublicKey()).isEqualTo(DkimKeyFile.publicKeyOf(key));
        assertThat(run.out).contains("mta-sts dkim-check --domain example.test --selector tlsrpt --key " + out);
    }

    @Test
    void keygenShouldNotOverwriteAKeyUnlessForced() throws Exception {
        Path key = testKey();

        Run refused = new Run("dkim-keygen", "--domain", "example.test", "--out", key.toString());

        assertThat(refused.status).isEqualTo(MtaStsCommand.PROBLEM);
        assertThat(refused.err).contains(key + " already exists", "--force");
        assertThat(DkimKeyFile.read(key)).isEqualTo(TestDkim.privateKey());

        Run forced = new Run("dkim-keygen", "--domain", "example.test", "--out", key.toString(), "--force");
        assertThat(forced.status).isEqualTo(MtaStsCommand.OK);
        assertThat(DkimKeyFile.read(key)).isNotEqualTo(TestDkim.privateKey());
    }

    @Test
    void checkShouldConfirmAPublishedRecordThatMatchesTheKey() throws Exception {
        Run run = check("match.test", testKey());

        assertThat(run.status).as(run.err).isEqualTo(MtaStsCommand.OK);
        assertThat(run.out).startsWith("OK       tlsrpt._domainkey.match.test: ").contains("2048-bit RSA");
    }

    @Test
    void checkShouldNameWhatToFix() throws Exception {
        Path key = testKey();
        String publish = "publish: tlsrpt._domainkey.";

        assertThat(check("absent.test", key).out).contains("PROBLEM", "no TXT record at tlsrpt._domainkey.absent.test",
            publish + "absent.test. IN TXT \"v=DKIM1; k=rsa; p=");
        assertThat(check("spf.test", key).out).contains("hold no DKIM key", publish);
        assertThat(check("other.test", key).out).contains("publishes another key", publish + "other.test.");
        assertThat(check("revoked.test", key).out).contains("is unusable", publish);
        assertThat(check("sha1.test", key).out).contains("excludes sha256");
        assertThat(check("twice.test", key).out).contains("2 DKIM key records", "keep exactly one");
        assertThat(check("broken.test", key).out).contains("DNS lookup of tlsrpt._domainkey.broken.test failed");
        assertThat(check("other.test", key).status).isEqualTo(MtaStsCommand.PROBLEM);
    }

    @Test
    void checkWithoutTheKeyFileShouldSayHowToCreateIt() {
        Path missing = dir.resolve("conf/none.pem");

        Run run = check("match.test", missing);

        assertThat(run.status).isEqualTo(MtaStsCommand.PROBLEM);
        assertThat(run.err).contains(missing.toAbsolutePath() + " does not exist",
            "mta-sts dkim-keygen --domain match.test --selector tlsrpt --out " + missing);
    }

    @Test
    void usageErrorsShouldNameTheArgument() {
        assertThat(new Run("dkim-keygen", "--out", "x.pem").err).contains("--domain is required");
        assertThat(new Run("dkim-keygen", "--domain", "example.test", "--selector", "a b").err).contains("--selector a b");
        assertThat(new Run("dkim-check", "--domain", "example.test", "--force").status).isEqualTo(MtaStsCommand.USAGE);
        assertThat(new Run("dkim-keygen", "example.test").err).contains("--domain example.test");
    }
}
