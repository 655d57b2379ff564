package io.github.jamesmtasts.mtasts.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8461 7 (I): the policy fetch uses TLS 1.2 or higher. The JDK disables TLS 1.1 for client and server alike, so
 * a TLS 1.1-only server can only exist in a JVM with other security properties: this test runs {@link Tls11Probe}
 * in a child JVM where TLS 1.1 is enabled again, so the refusal comes from the fetcher, not from the JDK default.
 */
class HttpsPolicyFetcherTls11Test {

    // jdk.tls.disabledAlgorithms of JDK 17 without TLSv1 and TLSv1.1.
    private static final String SECURITY = "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, "
        + "EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n";

    @Test
    void fetchShouldFailWhenServerOffersOnlyTls11EvenIfJvmAllowsIt(@TempDir Path dir) throws Exception {
        Path security = Files.writeString(dir.resolve("tls11.security"), SECURITY);
        List<String> command = new ArrayList<>(Arrays.asList(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.security.properties=" + security,
            "-Djdk.net.hosts.file=" + System.getProperty("jdk.net.hosts.file"),
            "-cp", System.getProperty("java.class.path"),
            Tls11Probe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = readAll(process.getInputStream());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();

        assumeTrue(output.contains("control=TLSv1.1"), "this JDK cannot speak TLS 1.1 even when re-enabled: " + output);
        assertThat(output).contains("outcome=sts-policy-fetch-error MTA-STS policy for tls11.test: TLS with mta-sts.tls11.test failed")
            .contains("TLS 1.2 or higher");
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
