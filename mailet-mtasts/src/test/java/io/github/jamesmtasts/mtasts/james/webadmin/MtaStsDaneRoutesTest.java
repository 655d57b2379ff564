package io.github.jamesmtasts.mtasts.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.james.DaneLookups;
import io.github.jamesmtasts.tlsrpt.james.webadmin.WebAdminTestServer;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

class MtaStsDaneRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DIGEST = digest();

    private final List<DomainName> asked = new ArrayList<>();
    private WebAdminTestServer webAdmin;

    @AfterEach
    void stop() {
        if (webAdmin != null) {
            webAdmin.close();
        }
    }

    private void start(DaneLookup lookup) {
        DaneLookup recording = domain -> {
            asked.add(domain);
            return lookup.lookup(domain);
        };
        webAdmin = WebAdminTestServer.start(new MtaStsDaneRoutes(() -> Optional.of(recording)));
    }

    @Test
    void showShouldAnswerTheSecureMxHostsWithTheirStateAndTlsaRecords() throws Exception {
        start(domain -> DaneDomain.secure(domain, List.of(
            MxDane.secureTlsa(name("mx1.dane.test"), name("mx1.dane.test"), List.of(
                TlsaRecord.of(3, 1, 1, DIGEST), TlsaRecord.of(1, 1, 1, DIGEST))),
            MxDane.secureTlsa(name("mx2.dane.test"), name("mx.hosting.test"), List.of(TlsaRecord.of(0, 0, 1, DIGEST))),
            MxDane.unusable(name("mx3.dane.test"), ResultType.DNSSEC_INVALID, "bogus TLSA RRset"),
            MxDane.notApplicable(name("mx4.dane.test"), "insecure TLSA answer"))));

        HttpResponse<String> response = webAdmin.get("/mta-sts/dane/DANE.test.");

        assertThat(response.statusCode()).isEqualTo(200);
        String tlsa = "ab" + "00".repeat(31);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"domain\":\"dane.test\","
            + "\"status\":\"secure\",\"reason\":\"secure MX RRset\",\"mx\":["
            + "{\"host\":\"mx1.dane.test\",\"state\":\"authenticate\",\"tlsa\":[\"3 1 1 " + tlsa + "\",\"1 1 1 " + tlsa
            + "\"],\"usableTlsa\":1,\"reason\":\"usable TLSA records\"},"
            + "{\"host\":\"mx2.dane.test\",\"state\":\"encrypt-only\",\"tlsaBase\":\"mx.hosting.test\",\"tlsa\":"
            + "[\"0 0 1 " + tlsa + "\"],\"usableTlsa\":0,\"reason\":\"TLSA records, none usable\"},"
            + "{\"host\":\"mx3.dane.test\",\"state\":\"unusable\",\"failure\":\"dnssec-invalid\","
            + "\"reason\":\"bogus TLSA RRset\"},"
            + "{\"host\":\"mx4.dane.test\",\"state\":\"not-applicable\",\"reason\":\"insecure TLSA answer\"}]}"));
        assertThat(asked).containsExactly(name("dane.test"));
    }

    @Test
    void showShouldAnswerAnUnusableDomainWithItsResultType() throws Exception {
        start(domain -> DaneDomain.unusable(domain, ResultType.DNSSEC_INVALID, "MX lookup bogus: no valid RRSIG"));

        HttpResponse<String> response = webAdmin.get("/mta-sts/dane/bogus.test");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"domain\":\"bogus.test\",\"status\":\"unusable\","
            + "\"reason\":\"MX lookup bogus: no valid RRSIG\",\"failure\":\"dnssec-invalid\"}");
    }

    @Test
    void showShouldAnswerNotApplicableWithoutHosts() throws Exception {
        start(domain -> DaneDomain.notApplicable(domain, "insecure MX RRset"));

        HttpResponse<String> response = webAdmin.get("/mta-sts/dane/plain.test");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"domain\":\"plain.test\",\"status\":\"not-applicable\","
            + "\"reason\":\"insecure MX RRset\"}");
    }

    static Stream<Arguments> badDomains() {
        return Stream.of(
            Arguments.of("IPv4 literal", "192.0.2.1"),
            Arguments.of("underscore", "bad_domain.test"),
            Arguments.of("empty label", "a..test"),
            Arguments.of("label over 63 characters", "a".repeat(64) + ".test"),
            Arguments.of("leading hyphen", "-mx.test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDomains")
    void badDomainShouldAnswer400WithoutALookup(String name, String domain) throws Exception {
        start(d -> DaneDomain.notApplicable(d, "unused"));

        HttpResponse<String> response = webAdmin.get("/mta-sts/dane/" + domain);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("InvalidArgument");
        assertThat(body.get("message").asText()).contains("is not a domain name");
        assertThat(asked).isEmpty();
    }

    @Test
    void showShouldAnswer409NamingTheSettingWhenDaneIsNotEnabled() throws Exception {
        webAdmin = WebAdminTestServer.start(new MtaStsDaneRoutes(DaneLookups.none()));

        HttpResponse<String> response = webAdmin.get("/mta-sts/dane/dane.test");

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("WrongState");
        assertThat(body.get("message").asText()).contains("DANE is not enabled", "dane.test", "mtasts.dane=true",
            "conf/mta-sts.properties");
    }

    private static byte[] digest() {
        byte[] digest = new byte[32];
        digest[0] = (byte) 0xab;
        return digest;
    }

    private static DomainName name(String text) {
        return DomainName.of(text).orElseThrow();
    }
}
