package io.github.jamesmtasts.mtasts.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.sun.net.httpserver.HttpHandler;

import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** HTTP semantics of the policy fetch (RFC 8461 3.3) against a real HTTPS server on loopback. */
class HttpsPolicyFetcherTest {

    static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx1.good.test\nmx: *.mx.good.test\nmax_age: 86400\n";
    private static final int CAP = FetchSettings.MAX_POLICY_BYTES;

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static PolicyHttpsServer server;
    private static FetchSettings settings;

    @BeforeAll
    static void startServer() throws IOException {
        pki = TestPki.create("HttpsPolicyFetcherTest CA");
        TestPki.ServerCertificate cert = pki.issue("mta-sts.good.test", "mta-sts.redirect.test", "mta-sts.broken.test",
            "mta-sts.media.test", "mta-sts.big.test", "mta-sts.slow.test", "mta-sts.invalid.test", "mta-sts.ssrf.test",
            "mta-sts.rebind.test");
        server = PolicyHttpsServer.start(cert.serverContext());
        settings = FetchSettings.defaults()
            .withTrust(TrustSource.of(pki.writePemBundle(dir.resolve("ca.pem")), Optional.of(TrustSource.Type.PEM), Optional.empty()))
            .withAllowNetworks(List.of(Cidr.parse("127.0.0.0/8")))
            .withPort(server.port());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void fetchShouldReturnPolicyWhenServerAnswers200TextPlain() {
        server.route("mta-sts.good.test", PolicyHttpsServer.textPlain(POLICY));

        FetchOutcome outcome = new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("good.test").orElseThrow());

        assertThat(outcome.failureMessage()).isEmpty();
        assertThat(outcome.policy()).hasValueSatisfying(policy -> {
            assertThat(policy.mode()).isEqualTo(Mode.ENFORCE);
            assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(1));
            assertThat(policy.mx()).containsExactly(MxPattern.of("mx1.good.test"), MxPattern.of("*.mx.good.test"));
        });
        assertThat(outcome.policyText()).hasValue(POLICY);
    }

    @Test
    void fetchShouldAskForWellKnownPathWithoutCachingWhenFetching() {
        server.route("mta-sts.good.test", PolicyHttpsServer.textPlain(POLICY));

        new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("Good.Test.").orElseThrow());

        PolicyHttpsServer.Request request = lastRequestFor("mta-sts.good.test");
        assertThat(request.method).isEqualTo("GET");
        assertThat(request.path).isEqualTo("/.well-known/mta-sts.txt");
        assertThat(request.headers.getFirst("Cache-Control")).isEqualTo("no-cache");
    }

    static Stream<Arguments> failures() {
        byte[] tooBig = padded(CAP + 1);
        return Stream.of(
            row("F 3.3 301 redirect is not followed", redirect(301), ResultType.STS_POLICY_FETCH_ERROR, "answered 301 (to https://mta-sts.good.test/"),
            row("F 3.3 302 redirect is not followed", redirect(302), ResultType.STS_POLICY_FETCH_ERROR, "forbids redirects"),
            row("F 3.3 307 redirect is not followed", redirect(307), ResultType.STS_POLICY_FETCH_ERROR, "answered 307"),
            row("F 3.3 404 is a fetch error", status(404), ResultType.STS_POLICY_FETCH_ERROR, "answered 404; serve the policy with status 200"),
            row("F 3.3 500 is a fetch error", status(500), ResultType.STS_POLICY_FETCH_ERROR, "answered 500"),
            row("F 3.3 204 is a fetch error", PolicyHttpsServer.respond(204, Optional.of("text/plain"), new byte[0], false),
                ResultType.STS_POLICY_FETCH_ERROR, "answered 204"),
            row("F 3.3 text/html refused when strict", typed("text/html"), ResultType.STS_POLICY_FETCH_ERROR, "media type 'text/html'; serve the policy as text/plain"),
            row("F 3.3 text/plainx refused when strict", typed("text/plainx"), ResultType.STS_POLICY_FETCH_ERROR, "media type 'text/plainx'"),
            row("F 3.3 missing media type refused when strict", PolicyHttpsServer.respond(200, Optional.empty(), bytes(POLICY), false),
                ResultType.STS_POLICY_FETCH_ERROR, "media type 'none'"),
            row("F 3.3 64 KiB + 1 with Content-Length rejected", PolicyHttpsServer.respond(200, Optional.of("text/plain"), tooBig, false),
                ResultType.STS_POLICY_FETCH_ERROR, "larger than 65536 bytes"),
            row("F 3.3 64 KiB + 1 chunked rejected while streaming", PolicyHttpsServer.respond(200, Optional.of("text/plain"), tooBig, true),
                ResultType.STS_POLICY_FETCH_ERROR, "larger than 65536 bytes"),
            row("F 3.3 1 MiB chunked rejected while streaming", PolicyHttpsServer.respond(200, Optional.of("text/plain"), padded(1 << 20), true),
                ResultType.STS_POLICY_FETCH_ERROR, "larger than 65536 bytes"),
            row("P 3.2 unparsable body is sts-policy-invalid", PolicyHttpsServer.textPlain("version: STSv1\nmode: enforce\nmax_age: 60\n"),
                ResultType.STS_POLICY_INVALID, "no 'mx:' line"),
            row("P 3.2 HTML body served as text/plain is sts-policy-invalid", PolicyHttpsServer.textPlain("<html>oops</html>"),
                ResultType.STS_POLICY_INVALID, "line 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void fetchShouldClassifyFailuresAndNameDomainAndUrl(String rule, HttpHandler handler, ResultType type, String fragment) {
        server.route("mta-sts.broken.test", handler);

        FetchOutcome outcome = new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("broken.test").orElseThrow());

        assertThat(outcome.policy()).isEmpty();
        assertThat(outcome.failureType()).hasValue(type);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m)
            .startsWith("MTA-STS policy for broken.test: ")
            .contains("https://mta-sts.broken.test:" + server.port() + "/.well-known/mta-sts.txt")
            .contains(fragment));
    }

    @Test
    void hostileHeadersShouldBeQuotedAsBoundedPrintableAscii() {
        // H2/H4: a 10 KB Location with non-ASCII text must reach the message (and so logs and reports) bounded and clean.
        String location = "https://mta-sts.good.test/\u00e9\u00ff" + "a".repeat(10_000);
        server.route("mta-sts.broken.test", PolicyHttpsServer.respond(302, Optional.of("text/plain"), bytes(POLICY), false,
            "Location", location));

        FetchOutcome redirected = new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("broken.test").orElseThrow());

        server.route("mta-sts.broken.test", typed("text/plain\u00e9" + "x".repeat(10_000)));
        FetchOutcome mistyped = new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("broken.test").orElseThrow());

        for (FetchOutcome outcome : List.of(redirected, mistyped)) {
            assertThat(outcome.failureType()).hasValue(ResultType.STS_POLICY_FETCH_ERROR);
            assertThat(outcome.failureMessage()).hasValueSatisfying(m -> {
                assertThat(m).hasSizeLessThan(600);
                assertThat(m.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
            });
        }
        assertThat(redirected.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("(to https://mta-sts.good.test/??aaa"));
    }

    @Test
    void fetchShouldNeverRequestRedirectTargetWhenRedirected() {
        server.route("mta-sts.redirect.test", redirect(301)).route("mta-sts.good.test", PolicyHttpsServer.textPlain(POLICY));
        long before = server.requests().stream().filter(r -> r.host.equals("mta-sts.good.test")).count();

        new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("redirect.test").orElseThrow());

        assertThat(server.requests().stream().filter(r -> r.host.equals("mta-sts.good.test")).count()).isEqualTo(before);
    }

    @Test
    void fetchShouldAcceptOtherMediaTypeWhenLenient() {
        server.route("mta-sts.media.test", PolicyHttpsServer.respond(200, Optional.of("text/html"), bytes(POLICY), false));

        FetchOutcome outcome = new HttpsPolicyFetcher(settings.withStrictMediaType(false), GuardedConnector.Resolver.JVM).fetch(DomainName.of("media.test").orElseThrow());

        assertThat(outcome.isSuccess()).isTrue();
    }

    @Test
    void fetchShouldAcceptMediaTypeParametersAndCaseWhenStrict() {
        server.route("mta-sts.media.test", PolicyHttpsServer.respond(200, Optional.of("Text/Plain ; charset=UTF-8"), bytes(POLICY), false));

        assertThat(new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("media.test").orElseThrow()).isSuccess()).isTrue();
    }

    @Test
    void fetchShouldAcceptExactly64KiBWithContentLength() {
        server.route("mta-sts.big.test", PolicyHttpsServer.respond(200, Optional.of("text/plain"), padded(CAP), false));

        FetchOutcome outcome = new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("big.test").orElseThrow());

        assertThat(outcome.failureMessage()).isEmpty();
        assertThat(outcome.policyText()).hasValueSatisfying(text -> assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(CAP));
    }

    @Test
    void fetchShouldAcceptExactly64KiBWhenChunked() {
        server.route("mta-sts.big.test", PolicyHttpsServer.respond(200, Optional.of("text/plain"), padded(CAP), true));

        assertThat(new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("big.test").orElseThrow()).isSuccess()).isTrue();
    }

    @Test
    void fetchShouldFailWhenBodyStallsPastTheTimeout() {
        server.route("mta-sts.slow.test", server.stallingAfter(bytes("version: STSv1\n"), 1000));

        FetchOutcome outcome = new HttpsPolicyFetcher(settings.withTimeout(Duration.ofSeconds(1)), GuardedConnector.Resolver.JVM).fetch(DomainName.of("slow.test").orElseThrow());

        assertThat(outcome.failureType()).hasValue(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("did not answer completely within 1 s"));
    }

    @Test
    void fetchShouldRefuseLoopbackPolicyHostWhenNotAllowListed() {
        server.route("mta-sts.ssrf.test", PolicyHttpsServer.textPlain(POLICY));

        FetchOutcome outcome = new HttpsPolicyFetcher(settings.withAllowNetworks(List.of()), GuardedConnector.Resolver.JVM).fetch(DomainName.of("ssrf.test").orElseThrow());

        assertThat(outcome.failureType()).hasValue(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m)
            .contains("mta-sts.ssrf.test resolves to 127.0.0.1").contains(FetchSettings.ALLOW_NETWORKS_SETTING));
        assertThat(server.requests()).noneMatch(r -> r.host.equals("mta-sts.ssrf.test"));
    }

    @Test
    void fetchShouldRefuseWhenAnyResolvedAddressIsInternal() throws Exception {
        InetAddress publicAddress = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1});
        InetAddress privateAddress = InetAddress.getByAddress(new byte[] {10, 1, 2, 3});
        HttpsPolicyFetcher fetcher = new HttpsPolicyFetcher(FetchSettings.defaults(), host -> new InetAddress[] {publicAddress, privateAddress});

        FetchOutcome outcome = fetcher.fetch(DomainName.of("example.test").orElseThrow());

        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("resolves to 10.1.2.3"));
    }

    @Test
    void fetchShouldConnectToTheAddressItCheckedWhenTheDnsAnswerChanges() throws Exception {
        // DNS rebinding: the first answer (127.0.0.1, allowed) passes the SSRF guard, every later one is 127.0.0.2
        // (not allowed), and test-hosts.txt also maps the name to 127.0.0.2. A client that resolves the name again
        // to connect reaches 127.0.0.2; the fetch must connect to the address it checked and resolve only once.
        server.route("mta-sts.rebind.test", PolicyHttpsServer.textPlain(POLICY));
        InetAddress checked = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        InetAddress rebound = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        AtomicInteger lookups = new AtomicInteger();
        HttpsPolicyFetcher fetcher = new HttpsPolicyFetcher(settings.withAllowNetworks(List.of(Cidr.parse("127.0.0.1/32"))),
            host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? checked : rebound});

        FetchOutcome outcome = fetcher.fetch(DomainName.of("rebind.test").orElseThrow());

        assertThat(outcome.failureMessage()).isEmpty();
        assertThat(lookups).hasValue(1);
        assertThat(lastRequestFor("mta-sts.rebind.test").path).isEqualTo("/.well-known/mta-sts.txt");
    }

    @Test
    void fetchShouldFailWhenPolicyHostDoesNotResolve() {
        FetchOutcome outcome = new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM).fetch(DomainName.of("nowhere.test").orElseThrow());

        assertThat(outcome.failureType()).hasValue(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("mta-sts.nowhere.test does not resolve"));
    }

    @Test
    void fetchShouldFailWhenNothingListens() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        FetchOutcome outcome = new HttpsPolicyFetcher(settings.withPort(closedPort), GuardedConnector.Resolver.JVM).fetch(DomainName.of("good.test").orElseThrow());

        assertThat(outcome.failureType()).hasValue(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(outcome.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("could not connect to mta-sts.good.test port " + closedPort));
    }

    private static PolicyHttpsServer.Request lastRequestFor(String host) {
        List<PolicyHttpsServer.Request> matching = server.requests();
        for (int i = matching.size() - 1; i >= 0; i--) {
            if (matching.get(i).host.equals(host)) {
                return matching.get(i);
            }
        }
        throw new AssertionError("no request for " + host);
    }

    /** A valid policy padded with an ignored extension line to exactly {@code size} bytes. */
    static byte[] padded(int size) {
        int padding = size - POLICY.length() - "pad: \n".length();
        return bytes(POLICY + "pad: " + "a".repeat(padding) + "\n");
    }

    private static HttpHandler redirect(int status) {
        return PolicyHttpsServer.respond(status, Optional.of("text/plain"), bytes(POLICY), false,
            "Location", "https://mta-sts.good.test/.well-known/mta-sts.txt");
    }

    private static HttpHandler status(int status) {
        return PolicyHttpsServer.respond(status, Optional.of("text/plain"), bytes("error"), false);
    }

    private static HttpHandler typed(String contentType) {
        return PolicyHttpsServer.respond(200, Optional.of(contentType), bytes(POLICY), false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Arguments row(String rule, HttpHandler handler, ResultType type, String fragment) {
        return arguments(rule, handler, type, fragment);
    }
}
