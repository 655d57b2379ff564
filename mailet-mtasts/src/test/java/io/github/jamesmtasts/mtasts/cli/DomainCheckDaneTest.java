package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.discover.StsRecordDiscovery;
import io.github.jamesmtasts.mtasts.fetch.FetchSettings;
import io.github.jamesmtasts.mtasts.fetch.HttpsPolicyFetcher;
import io.github.jamesmtasts.tlsrpt.dns.DnsJavaTxtResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * {@code mta-sts check} with DANE (RFC 7672), against a fake {@link DaneLookup}: the domain's DANE state, each MX
 * host's state, which hosts DANE decides (RFC 8461 2: DANE first), and the verdict. MX hosts and their MX/A records
 * are real loopback servers on 127.0.113.0/24; the DANE TLS of {@link DaneSockets} is a stand-in that accepts exactly
 * the certificate the fake TLSA record names.
 */
class DomainCheckDaneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MATCHING_IP = "127.0.113.11";
    private static final String OTHER_CERT_IP = "127.0.113.12";
    private static final String BOGUS_TLSA_IP = "127.0.113.13";
    private static final String SECURE = "dane-secure.test";
    private static final String WRONG_CERT = "dane-wrongcert.test";
    private static final String BOGUS_MX = "dane-bogus.test";
    private static final String INSECURE = "dane-insecure.test";
    private static final String ENCRYPT = "dane-encrypt.test";
    private static final TlsaRecord MATCHING_TLSA = TlsaRecord.of(TlsaRecord.DANE_EE, TlsaRecord.SELECTOR_SPKI,
        TlsaRecord.MATCH_SHA256, new byte[32]);
    private static final TlsaRecord PKIX_EE = TlsaRecord.of(1, TlsaRecord.SELECTOR_SPKI, TlsaRecord.MATCH_SHA256,
        new byte[32]);

    private static final TestPki PKI = TestPki.create("DomainCheckDaneTest CA");
    private static final TestPki.ServerCertificate MATCHING_CERT = PKI.issue("mx1." + SECURE);
    private static final List<TestSmtpServer> SERVERS = new ArrayList<>();
    private static final Map<DomainName, DaneDomain> DANE = new HashMap<>();
    private static LoopbackDnsServer dns;
    private static DomainCheck check;

    @BeforeAll
    static void start() throws IOException {
        int port = startServers();
        dns = LoopbackDnsServer.start("127.0.113.53", 0).zone("test")
            .mx(SECURE, 10, "mx1." + SECURE).a("mx1." + SECURE, MATCHING_IP)
            .mx(SECURE, 20, "mx2." + SECURE).a("mx2." + SECURE, BOGUS_TLSA_IP)
            .mx(WRONG_CERT, 10, "mx." + WRONG_CERT).a("mx." + WRONG_CERT, OTHER_CERT_IP)
            .mx(BOGUS_MX, 10, "mx." + BOGUS_MX).a("mx." + BOGUS_MX, MATCHING_IP)
            .mx(INSECURE, 10, "mx1." + SECURE)
            .mx(ENCRYPT, 10, "mx." + ENCRYPT).a("mx." + ENCRYPT, OTHER_CERT_IP)
            .mx(ENCRYPT, 20, "mx.spoofed.test").a("mx.spoofed.test", MATCHING_IP);
        secure(SECURE, MxDane.secureTlsa(name("mx1." + SECURE), name("mx1." + SECURE), List.of(MATCHING_TLSA)),
            MxDane.unusable(name("mx2." + SECURE), ResultType.DNSSEC_INVALID, "bogus TLSA RRset: RRSIG expired"));
        secure(WRONG_CERT, MxDane.secureTlsa(name("mx." + WRONG_CERT), name("mx." + WRONG_CERT),
            List.of(MATCHING_TLSA)));
        DANE.put(name(BOGUS_MX), DaneDomain.unusable(name(BOGUS_MX), ResultType.DNSSEC_INVALID, "bogus MX RRset"));
        DANE.put(name(INSECURE), DaneDomain.notApplicable(name(INSECURE), "insecure MX RRset"));
        secure(ENCRYPT, MxDane.secureTlsa(name("mx." + ENCRYPT), name("mx." + ENCRYPT), List.of(PKIX_EE)));
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(dns.address(), dns.port()));
        resolver.setTimeout(Duration.ofSeconds(5));
        DaneLookup lookup = domain -> DANE.getOrDefault(domain, DaneDomain.notApplicable(domain, "no DNSSEC"));
        check = new DomainCheck(new StsRecordDiscovery(DnsJavaTxtResolver.using(resolver)),
            new HttpsPolicyFetcher(FetchSettings.defaults(), GuardedConnector.Resolver.JVM), new MxLookup(resolver),
            new SmtpTlsProbe(TrustAnchors.of(PKI.trustStore()), port, Duration.ofSeconds(5), "client.dane.test",
                Optional.of(DomainCheckDaneTest::acceptOnlyTheMatchingCertificate)),
            Optional.of(lookup));
    }

    /** Three MX servers on one port (the probe's --port applies to every host). */
    private static int startServers() {
        for (int attempt = 0; attempt < 10 && SERVERS.isEmpty(); attempt++) {
            List<TestSmtpServer> started = new ArrayList<>();
            try {
                TestSmtpServer first = TestSmtpServer.builder().bindAddress(MATCHING_IP).port(0)
                    .startTls(MATCHING_CERT).start();
                started.add(first);
                started.add(TestSmtpServer.builder().bindAddress(OTHER_CERT_IP).port(first.port())
                    .startTls(PKI.issue("somewhere-else.test")).start());
                started.add(TestSmtpServer.builder().bindAddress(BOGUS_TLSA_IP).port(first.port())
                    .startTls(PKI.issue("mx2." + SECURE)).start());
                SERVERS.addAll(started);
            } catch (UncheckedIOException portTaken) {
                started.forEach(TestSmtpServer::close);
            }
        }
        assertThat(SERVERS).as("three MX servers on one port").hasSize(3);
        return SERVERS.get(0).port();
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(TestSmtpServer::close);
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void aHostWhoseCertificateMatchesItsTlsaRecordShouldMakeTheDomainDeliverableUnderDane() throws IOException {
        CheckReport report = check.check(name(SECURE));
        JsonNode json = JSON.readTree(JsonReport.render(report));

        assertThat(json.get("dane").get("status").asText()).isEqualTo("secure");
        JsonNode mx1 = json.get("mx").get(0);
        assertThat(mx1.get("dane").get("state").asText()).isEqualTo("authenticate");
        assertThat(mx1.get("dane").get("tlsa").get(0).asText()).isEqualTo(MATCHING_TLSA.presentation());
        assertThat(mx1.get("tlsa_match").asBoolean()).isTrue();
        assertThat(mx1.get("result").asText()).isEqualTo("success");
        JsonNode mx2 = json.get("mx").get(1);
        assertThat(mx2.get("dane").get("state").asText()).isEqualTo("unusable");
        assertThat(mx2.get("dane").get("failure").asText()).isEqualTo("dnssec-invalid");
        assertThat(mx2.get("result").asText()).isEqualTo("dnssec-invalid");
        assertThat(mx2.get("error").asText()).contains("RRSIG expired");
        assertThat(mx2.has("tlsa_match")).isFalse();
        assertThat(report.deliverable()).isTrue();
        assertThat(report.verdict().reason()).startsWith("DANE: mx1.dane-secure.test presents a certificate that"
            + " matches its TLSA records");
        assertThat(json.toString()).doesNotContain("null");
    }

    @Test
    void aHostWhoseCertificateMatchesNoTlsaRecordShouldFailAlthoughItsCertificateIsPkixValid() {
        CheckReport report = check.check(name(WRONG_CERT));

        MxReport mx = report.mx().get(0);
        assertThat(mx.underDane()).isTrue();
        assertThat(mx.success()).isFalse();
        assertThat(mx.error()).hasValueSatisfying(e -> assertThat(e).contains("under DANE"));
        assertThat(report.deliverable()).isFalse();
        assertThat(report.verdict().reason()).contains("no MX host of dane-wrongcert.test passes its DANE checks");
    }

    @Test
    void aBogusMxLookupShouldMakeEveryHostUnusableAndTheDomainUndeliverable() throws IOException {
        CheckReport report = check.check(name(BOGUS_MX));
        JsonNode json = JSON.readTree(JsonReport.render(report));

        assertThat(json.get("dane").toString()).isEqualTo("{\"status\":\"unusable\",\"reason\":\"bogus MX RRset\","
            + "\"failure\":\"dnssec-invalid\"}");
        assertThat(json.get("mx").get(0).get("result").asText()).isEqualTo("dnssec-invalid");
        assertThat(report.deliverable()).isFalse();
        assertThat(report.verdict().reason()).contains("DANE senders defer mail to dane-bogus.test");
    }

    @Test
    void anInsecureDomainShouldBeCheckedUnderMtaStsAloneAndShowWhyDaneDoesNotApply() throws IOException {
        CheckReport report = check.check(name(INSECURE));
        JsonNode json = JSON.readTree(JsonReport.render(report));

        assertThat(json.get("dane").get("status").asText()).isEqualTo("not-applicable");
        JsonNode mx = json.get("mx").get(0);
        assertThat(mx.get("dane").get("state").asText()).isEqualTo("not-applicable");
        assertThat(mx.has("tlsa_match")).isFalse();
        // The PKIX checks of MTA-STS judged it: its certificate is from the trusted test CA and names it.
        assertThat(mx.get("certificate").asText()).isEqualTo("valid");
        assertThat(report.deliverable()).isTrue();
        assertThat(report.verdict().reason()).contains("publishes no MTA-STS policy");
    }

    @Test
    void aTlsaRrsetWithoutUsableRecordsShouldNeedStartTlsOnlyAndAHostOutsideTheValidatedMxSetShouldBeUnusable() {
        CheckReport report = check.check(name(ENCRYPT));

        MxReport encryptOnly = report.mx().get(0);
        assertThat(encryptOnly.dane().map(MxDane::kind)).contains(MxDane.Kind.ENCRYPT_ONLY);
        assertThat(encryptOnly.tlsaMatch()).isEmpty();
        MxReport spoofed = report.mx().get(1);
        assertThat(spoofed.dane().map(MxDane::kind)).contains(MxDane.Kind.UNUSABLE);
        // Refused like delivery refuses it: no RFC 8460 result type fits, so no session result is shown.
        assertThat(spoofed.result()).isEmpty();
        assertThat(spoofed.error()).hasValueSatisfying(e -> assertThat(e)
            .contains("not in the DNSSEC-validated MX RRset of dane-encrypt.test [mx.dane-encrypt.test]"));
        assertThat(TextReport.render(report)).contains("dane    secure (secure MX RRset)")
            .contains("10 mx.dane-encrypt.test [127.0.113.12]: DANE encrypt-only (no usable TLSA record)")
            .contains("          TLSA 1 1 1 0000");
    }

    private static void secure(String domain, MxDane... hosts) {
        DANE.put(name(domain), DaneDomain.secure(name(domain), List.of(hosts)));
    }

    private static DomainName name(String text) {
        return DomainName.of(text).orElseThrow();
    }

    /**
     * Stand-in DANE TLS: ENCRYPT_ONLY accepts any certificate (RFC 7672 2.2), AUTHENTICATE only the certificate of
     * mx1.dane-secure.test, the one the fake 3 1 1 record stands for.
     */
    private static SSLSocket acceptOnlyTheMatchingCertificate(Socket connection, MxDane host, int port)
        throws IOException {
        X509TrustManager trust = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (host.kind() == MxDane.Kind.AUTHENTICATE && !chain[0].equals(MATCHING_CERT.certificate())) {
                    throw new CertificateException("no TLSA record of " + host.mxHost() + " matches");
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return (SSLSocket) context.getSocketFactory().createSocket(connection, host.mxHost().asString(), port, true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
