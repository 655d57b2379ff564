package io.github.jamesmtasts.mtasts.james.webadmin;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jamesmtasts.mtasts.cache.JdbcPolicyStore;
import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.FakeFetcher;
import io.github.jamesmtasts.mtasts.resolve.FakeRecordLookup;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.ResolverListener;
import io.github.jamesmtasts.mtasts.resolve.ResolverSettings;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.james.webadmin.WebAdminTestServer;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;

class MtaStsPolicyRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final String ENFORCE = "enforce.test";
    private static final String TESTING = "testing.test";
    private static final String FAILING = "failing.test";

    @TempDir
    Path folder;

    private final SettableClock clock = new SettableClock(START);
    private final FakeRecordLookup lookup = new FakeRecordLookup();
    private final FakeFetcher fetcher = new FakeFetcher();
    private Database database;
    private JdbcPolicyStore store;
    private DefaultPolicyResolver resolver;
    private WebAdminTestServer webAdmin;

    @BeforeEach
    void start() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("policies")));
        store = JdbcPolicyStore.create(database);
        resolver = DefaultPolicyResolver.start(lookup, fetcher, store, TlsRptRecorder.NOOP, ResolverListener.NOOP,
            ResolverSettings.defaults(), clock);
        lookup.withId(ENFORCE, "id1").withId(TESTING, "t1").withId(FAILING, "f1");
        fetcher.serving(ENFORCE, FakeFetcher.policyText("enforce", 86400, "mx1.enforce.test", "*.enforce.test"))
            .serving(TESTING, FakeFetcher.policyText("testing", 604800, "mx.testing.test"))
            .serving(FAILING, FakeFetcher.policyText("enforce", 86400, "mx.failing.test"));
        resolver.resolve(name(ENFORCE));
        resolver.resolve(name(TESTING));
        resolver.resolve(name(FAILING));
        // RFC 8461 3.3 (R): a new id whose policy cannot be fetched keeps the old policy, marked as failing.
        clock.advance(Duration.ofMinutes(10));
        lookup.withId(FAILING, "f2");
        fetcher.failing(FAILING, ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404 from mta-sts.failing.test");
        resolver.resolve(name(FAILING));
        webAdmin = WebAdminTestServer.start(new MtaStsPolicyRoutes(resolver, clock));
    }

    @AfterEach
    void stop() {
        webAdmin.close();
        database.close();
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static List<String> domains(JsonNode page) {
        List<String> domains = new ArrayList<>();
        page.get("policies").forEach(p -> domains.add(p.get("domain").asText()));
        return domains;
    }

    @Test
    void showShouldAnswerTheCachedPolicy() throws Exception {
        HttpResponse<String> response = webAdmin.get("/mta-sts/policies/enforce.test");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(JSON.readTree("{\"domain\":\"enforce.test\",\"id\":\"id1\","
            + "\"mode\":\"enforce\",\"maxAge\":86400,\"mx\":[\"mx1.enforce.test\",\"*.enforce.test\"],"
            + "\"policy\":[\"version: STSv1\",\"mode: enforce\",\"mx: mx1.enforce.test\",\"mx: *.enforce.test\","
            + "\"max_age: 86400\"],\"fetchedAt\":\"2026-11-23T10:00:00Z\",\"expiresAt\":\"2026-11-24T10:00:00Z\","
            + "\"expired\":false,\"lastCheckedAt\":\"2026-11-23T10:00:00Z\",\"lastUsedAt\":\"2026-11-23T10:00:00Z\","
            + "\"lastRefresh\":{\"outcome\":\"success\",\"consecutiveFailures\":0}}"));
    }

    @Test
    void showShouldReportTheLastRefetchOfAStalePolicy() throws Exception {
        // Issue 11: every MX refused under the cached policy; an hour later its file changed under the same id.
        fetcher.serving(ENFORCE, FakeFetcher.policyText("enforce", 86400, "mx.elsewhere.test"));
        clock.advance(Duration.ofHours(1));
        PolicyDecision refused = resolver.resolve(name(ENFORCE));
        resolver.healForDelivery(refused);

        JsonNode policy = body(webAdmin.get("/mta-sts/policies/enforce.test"));

        assertThat(policy.get("mx").get(0).asText()).isEqualTo("mx.elsewhere.test");
        assertThat(policy.get("staleRefetch")).isEqualTo(JSON.readTree("{\"lastRefetchAt\":\"2026-11-23T11:10:00Z\","
            + "\"outcome\":\"changed\",\"lastChangedAt\":\"2026-11-23T11:10:00Z\",\"changes\":1}"));
        JsonNode listed = body(webAdmin.get("/mta-sts/policies")).get("policies");
        assertThat(listed.get(0).get("staleRefetch").get("changes").asInt()).isEqualTo(1);
        assertThat(listed.get(1).has("staleRefetch")).isFalse();
    }

    @Test
    void showShouldFindTheDomainWhateverItsCaseAndTrailingDot() throws Exception {
        HttpResponse<String> response = webAdmin.get("/mta-sts/policies/Enforce.TEST.");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).get("domain").asText()).isEqualTo(ENFORCE);
    }

    @Test
    void showShouldReportTheLastRefreshFailure() throws Exception {
        JsonNode policy = body(webAdmin.get("/mta-sts/policies/failing.test"));

        assertThat(policy.get("id").asText()).isEqualTo("f1");
        assertThat(policy.get("lastRefresh").get("outcome").asText()).isEqualTo("failure");
        assertThat(policy.get("lastRefresh").get("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(policy.get("lastRefresh").get("failure").asText()).contains("HTTP 404 from mta-sts.failing.test");
    }

    @Test
    void showOfAnUnknownDomainShouldAnswer404() throws Exception {
        HttpResponse<String> response = webAdmin.get("/mta-sts/policies/unknown.test");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(body(response).get("type").asText()).isEqualTo("notFound");
        assertThat(body(response).get("message").asText()).contains("unknown.test", "action=refresh");
    }

    static Stream<Arguments> badDomains() {
        return Stream.of(
            Arguments.of("M 4.1 IPv4 literal", "192.0.2.1"),
            Arguments.of("underscore", "bad_domain.test"),
            Arguments.of("empty label", "a..test"),
            Arguments.of("label over 63 characters", "a".repeat(64) + ".test"),
            Arguments.of("leading hyphen", "-mx.test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDomains")
    void badDomainShouldAnswer400(String name, String domain) throws Exception {
        for (HttpResponse<String> response : List.of(webAdmin.get("/mta-sts/policies/" + domain),
            webAdmin.post("/mta-sts/policies/" + domain + "?action=refresh"),
            webAdmin.delete("/mta-sts/policies/" + domain))) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(body(response).get("type").asText()).isEqualTo("InvalidArgument");
            assertThat(body(response).get("message").asText()).contains("is not a domain name");
        }
    }

    @Test
    void deleteShouldForgetThePolicyInMemoryAndInTheStore() throws Exception {
        HttpResponse<String> deleted = webAdmin.delete("/mta-sts/policies/enforce.test");
        HttpResponse<String> shown = webAdmin.get("/mta-sts/policies/enforce.test");
        HttpResponse<String> deletedAgain = webAdmin.delete("/mta-sts/policies/enforce.test");

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(shown.statusCode()).isEqualTo(404);
        assertThat(deletedAgain.statusCode()).isEqualTo(404);
        assertThat(store.load(name(ENFORCE))).isEmpty();
        assertThat(store.load(name(TESTING))).isPresent();
    }

    @Test
    void listShouldAnswerEveryPolicySortedByDomain() throws Exception {
        JsonNode page = body(webAdmin.get("/mta-sts/policies"));

        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("offset").asInt()).isEqualTo(0);
        assertThat(page.get("limit").asInt()).isEqualTo(100);
        assertThat(domains(page)).containsExactly(ENFORCE, FAILING, TESTING);
    }

    static Stream<Arguments> filters() {
        return Stream.of(
            Arguments.of("mode enforce", "?mode=enforce", List.of(ENFORCE, FAILING)),
            Arguments.of("mode testing", "?mode=testing", List.of(TESTING)),
            Arguments.of("mode none", "?mode=none", List.of()),
            Arguments.of("failing", "?failing=true", List.of(FAILING)),
            Arguments.of("not failing", "?failing=false", List.of(ENFORCE, TESTING)),
            Arguments.of("enforce and failing", "?mode=enforce&failing=true", List.of(FAILING)),
            Arguments.of("second page of one", "?offset=1&limit=1", List.of(FAILING)),
            Arguments.of("offset past the end", "?offset=5", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void listShouldFilterAndPage(String name, String query, List<String> expected) throws Exception {
        HttpResponse<String> response = webAdmin.get("/mta-sts/policies" + query);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(domains(body(response))).containsExactlyElementsOf(expected);
    }

    @Test
    void listTotalShouldCountEveryMatchNotOnlyThePage() throws Exception {
        JsonNode page = body(webAdmin.get("/mta-sts/policies?mode=enforce&limit=1"));

        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(domains(page)).containsExactly(ENFORCE);
    }

    static Stream<Arguments> badListQueries() {
        return Stream.of(
            Arguments.of("limit zero", "?limit=0", "limit='0' is invalid"),
            Arguments.of("limit too large", "?limit=1001", "from 1 to 1000"),
            Arguments.of("negative offset", "?offset=-1", "offset='-1' is invalid"),
            Arguments.of("limit not a number", "?limit=ten", "limit='ten' is invalid"),
            Arguments.of("P 3.2 modes are case-sensitive", "?mode=Enforce", "use enforce, testing or none"),
            Arguments.of("failing not a boolean", "?failing=yes", "use true or false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badListQueries")
    void badListQueryShouldAnswer400(String name, String query, String message) throws Exception {
        HttpResponse<String> response = webAdmin.get("/mta-sts/policies" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response).get("message").asText()).contains(message);
    }

    @Test
    void refreshShouldFetchThePolicyOfANewId() throws Exception {
        lookup.withId(ENFORCE, "id2");
        fetcher.serving(ENFORCE, FakeFetcher.policyText("testing", 3600, "mx2.enforce.test"));
        clock.advance(Duration.ofMinutes(1));

        HttpResponse<String> response = webAdmin.post("/mta-sts/policies/enforce.test?action=refresh");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = body(response);
        assertThat(result.get("decision").asText()).isEqualTo("policy");
        assertThat(result.get("mode").asText()).isEqualTo("testing");
        assertThat(result.get("policy").get("id").asText()).isEqualTo("id2");
        assertThat(result.get("policy").get("fetchedAt").asText()).isEqualTo("2026-11-23T10:11:00Z");
        assertThat(body(webAdmin.get("/mta-sts/policies/enforce.test")).get("mx").get(0).asText())
            .isEqualTo("mx2.enforce.test");
    }

    @Test
    void refreshShouldKeepTheCachedPolicyAndShowTheFailureWhenTheFetchFails() throws Exception {
        lookup.withId(ENFORCE, "id3");
        fetcher.failing(ENFORCE, ResultType.STS_WEBPKI_INVALID, "certificate of mta-sts.enforce.test expired");

        JsonNode result = body(webAdmin.post("/mta-sts/policies/enforce.test?action=refresh"));

        assertThat(result.get("decision").asText()).isEqualTo("policy");
        assertThat(result.get("mode").asText()).isEqualTo("enforce");
        assertThat(result.get("policy").get("id").asText()).isEqualTo("id1");
        assertThat(result.get("policy").get("lastRefresh").get("outcome").asText()).isEqualTo("failure");
        assertThat(result.get("policy").get("lastRefresh").get("failure").asText())
            .contains("sts-webpki-invalid", "certificate of mta-sts.enforce.test expired");
    }

    @Test
    void refreshOfADomainWithoutPolicyShouldAnswerNoPolicy() throws Exception {
        HttpResponse<String> response = webAdmin.post("/mta-sts/policies/plain.test?action=refresh");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(JSON.readTree(
            "{\"domain\":\"plain.test\",\"decision\":\"no-policy\",\"mode\":\"none\"}"));
    }

    @Test
    void refreshShouldAnswerTheTemporaryFailureWhenDnsFailsAndNothingIsCached() throws Exception {
        lookup.with("dns-down.test", TxtRecordOutcome.dnsError("SERVFAIL for _mta-sts.dns-down.test"));

        JsonNode result = body(webAdmin.post("/mta-sts/policies/dns-down.test?action=refresh"));

        assertThat(result.get("decision").asText()).isEqualTo("temporary-failure");
        assertThat(result.get("reason").asText()).contains("SERVFAIL for _mta-sts.dns-down.test");
        assertThat(result.has("policy")).isFalse();
    }

    @Test
    void refreshShouldAnswer400ForAMissingOrUnknownAction() throws Exception {
        HttpResponse<String> missing = webAdmin.post("/mta-sts/policies/enforce.test");
        HttpResponse<String> unknown = webAdmin.post("/mta-sts/policies/enforce.test?action=fetch");

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(body(missing).get("message").asText()).contains("action=refresh");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(body(unknown).get("message").asText()).contains("unknown action 'fetch'", "action=refresh");
        assertThat(fetcher.fetches(ENFORCE)).isEqualTo(1);
    }
}
