package io.github.jamesmtasts.mtasts.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** RFC 8461 3.3 / 7 (F, I): PKIX, host name and TLS version checks of the policy fetch, against real TLS on loopback. */
class HttpsPolicyFetcherTlsTest {

    private static final String POLICY = HttpsPolicyFetcherTest.POLICY;

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static Path pemBundle;

    @BeforeAll
    static void createCa() {
        pki = TestPki.create("HttpsPolicyFetcherTlsTest CA");
        pemBundle = pki.writePemBundle(dir.resolve("ca.pem"));
    }

    @Test
    void fetchShouldSucceedWhenTrustComesFromPkcs12TrustStore() throws Exception {
        Path trustStore = pki.writePkcs12TrustStore(dir.resolve("trust.p12"), "secret".toCharArray());

        FetchOutcome outcome = fetch(pki.issue("mta-sts.tls12.test").serverContext(), "tls12.test",
            TrustSource.of(trustStore, Optional.of(TrustSource.Type.PKCS12), Optional.of("secret")));

        assertThat(outcome.isSuccess()).isTrue();
    }

    @Test
    void fetchShouldBeWebPkiInvalidWhenCertificateIsExpired() throws Exception {
        Instant now = Instant.now();
        SSLContext expired = pki.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "mta-sts.expired.test").serverContext();

        FetchOutcome outcome = fetch(expired, "expired.test", TrustSource.of(pemBundle, Optional.of(TrustSource.Type.PEM), Optional.empty()));

        assertThat(outcome.failureType()).hasValue(ResultType.STS_WEBPKI_INVALID);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m)
            .startsWith("MTA-STS policy for expired.test: the certificate of mta-sts.expired.test is not valid")
            .contains("certificate-expired"));
    }

    @Test
    void fetchShouldBeWebPkiInvalidWhenCertificateNamesAnotherHost() throws Exception {
        SSLContext wrongHost = pki.issue("mta-sts.other.test", "wronghost.test", "*.wronghost.test.example").serverContext();

        FetchOutcome outcome = fetch(wrongHost, "wronghost.test", TrustSource.of(pemBundle, Optional.of(TrustSource.Type.PEM), Optional.empty()));

        assertThat(outcome.failureType()).hasValue(ResultType.STS_WEBPKI_INVALID);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("names mta-sts.wronghost.test"));
    }

    @Test
    void fetchShouldBeWebPkiInvalidWhenCertificateNamesThePolicyHostOnlyInTheCommonName() throws Exception {
        // RFC 8461 3.3 (F) / RFC 6125 6.4.4: the DNS-ID (subjectAltName) is required; no fallback to the subject CN.
        SSLContext cnOnly = pki.issueCnOnly("mta-sts.cnonly.test").serverContext();

        FetchOutcome outcome = fetch(cnOnly, "cnonly.test", TrustSource.of(pemBundle, Optional.of(TrustSource.Type.PEM), Optional.empty()));

        assertThat(outcome.failureType()).hasValue(ResultType.STS_WEBPKI_INVALID);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m)
            .contains("certificate-host-mismatch", "subjectAltName"));
    }

    @Test
    void fetchShouldBeWebPkiInvalidWhenCaIsNotTrusted() throws Exception {
        SSLContext untrusted = TestPki.create("Untrusted CA").issue("mta-sts.untrusted.test").serverContext();

        FetchOutcome outcome = fetch(untrusted, "untrusted.test", TrustSource.of(pemBundle, Optional.of(TrustSource.Type.PEM), Optional.empty()));

        assertThat(outcome.failureType()).hasValue(ResultType.STS_WEBPKI_INVALID);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("certificate-not-trusted"));
    }

    @Test
    void fetchShouldUseJvmDefaultTrustWhenNoTrustSourceIsSet() throws Exception {
        SSLContext context = pki.issue("mta-sts.untrusted.test").serverContext();

        try (PolicyHttpsServer server = PolicyHttpsServer.start(context)) {
            server.route("mta-sts.untrusted.test", PolicyHttpsServer.textPlain(POLICY));
            FetchOutcome outcome = new HttpsPolicyFetcher(FetchSettings.defaults()
                .withAllowNetworks(List.of(Cidr.parse("127.0.0.0/8"))).withPort(server.port()), GuardedConnector.Resolver.JVM).fetch(DomainName.of("untrusted.test").orElseThrow());

            assertThat(outcome.failureType()).hasValue(ResultType.STS_WEBPKI_INVALID);
        }
    }

    @Test
    void fetchShouldSucceedWhenServerSpeaksOnlyTls12() throws Exception {
        FetchOutcome outcome = fetch(pki.issue("mta-sts.tls12.test").serverContext(), "tls12.test", TrustSource.of(pemBundle, Optional.of(TrustSource.Type.PEM), Optional.empty()), "TLSv1.2");

        assertThat(outcome.isSuccess()).isTrue();
    }

    @Test
    void fetchShouldSucceedWhenServerSpeaksOnlyTls13() throws Exception {
        FetchOutcome outcome = fetch(pki.issue("mta-sts.tls12.test").serverContext(), "tls12.test", TrustSource.of(pemBundle, Optional.of(TrustSource.Type.PEM), Optional.empty()), "TLSv1.3");

        assertThat(outcome.isSuccess()).isTrue();
    }

    @Test
    void constructorShouldRefuseUnreadableTrustSource() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");

        assertThatThrownBy(() -> new HttpsPolicyFetcher(FetchSettings.defaults().withTrust(TrustSource.of(notPem, Optional.of(TrustSource.Type.PEM), Optional.empty())), GuardedConnector.Resolver.JVM))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not.pem");
        assertThatThrownBy(() -> new HttpsPolicyFetcher(FetchSettings.defaults().withTrust(TrustSource.of(dir.resolve("missing.pem"), Optional.of(TrustSource.Type.PEM), Optional.empty())), GuardedConnector.Resolver.JVM))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }

    private static FetchOutcome fetch(SSLContext serverContext, String domain, TrustSource trust, String... protocols) throws Exception {
        try (PolicyHttpsServer server = PolicyHttpsServer.start(serverContext, protocols)) {
            server.route("mta-sts." + domain, PolicyHttpsServer.textPlain(POLICY));
            return new HttpsPolicyFetcher(FetchSettings.defaults()
                .withTrust(trust)
                .withAllowNetworks(List.of(Cidr.parse("127.0.0.0/8")))
                .withPort(server.port()), GuardedConnector.Resolver.JVM).fetch(DomainName.of(domain).orElseThrow());
        }
    }
}
