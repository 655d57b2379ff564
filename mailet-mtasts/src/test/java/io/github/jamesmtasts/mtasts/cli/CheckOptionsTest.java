package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

class CheckOptionsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> accepted() {
        return Stream.of(
            row("defaults", List.of("example.com"), o -> List.of(o.json(), o.dns(), o.trustStore(), o.allowedNetworks(),
                o.smtpPort(), o.policyPort(), o.timeout(), o.ehloName(), o.domains()),
                List.of(false, Optional.empty(), Optional.empty(), List.of(), 25, 443, Duration.ofSeconds(10),
                    Optional.empty(), names("example.com"))),
            row("several domains keep their order", List.of("b.example", "a.example"), CheckOptions::domains,
                names("b.example", "a.example")),
            row("domain lower-cased, trailing dot dropped", List.of("Example.COM."), CheckOptions::domains,
                names("example.com")),
            row("U-label domain becomes A-labels", List.of("bücher.example"), CheckOptions::domains,
                names("xn--bcher-kva.example")),
            row("--json anywhere", List.of("example.com", "--json"), CheckOptions::json, true),
            row("DANE off by default", List.of("example.com"), o -> List.of(o.dane(), o.trustAnchors()),
                List.of(false, Optional.empty())),
            row("--dane", List.of("--dane", "example.com"), CheckOptions::dane, true),
            row("--dns host and port", List.of("--dns", "127.0.0.1:5353", "x.test"), CheckOptions::dns,
                Optional.of(DnsServer.of("127.0.0.1", 5353))),
            row("--dns=value form", List.of("--dns=127.0.0.1:5353", "x.test"), CheckOptions::dns,
                Optional.of(DnsServer.of("127.0.0.1", 5353))),
            row("--dns without port means 53", List.of("--dns", "192.0.2.53", "x.test"), CheckOptions::dns,
                Optional.of(DnsServer.of("192.0.2.53", 53))),
            row("--dns bracketed IPv6 with port", List.of("--dns", "[::1]:5353", "x.test"), CheckOptions::dns,
                Optional.of(DnsServer.of("::1", 5353))),
            row("--dns bare IPv6", List.of("--dns", "::1", "x.test"), CheckOptions::dns,
                Optional.of(DnsServer.of("::1", 53))),
            row("--allow-network repeats", List.of("--allow-network", "127.0.0.0/8", "--allow-network", "fd00::/8",
                "x.test"), CheckOptions::allowedNetworks, List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("fd00::/8"))),
            row("--port", List.of("--port", "2525", "x.test"), CheckOptions::smtpPort, 2525),
            row("--policy-port", List.of("--policy-port", "8443", "x.test"), CheckOptions::policyPort, 8443),
            row("--timeout seconds", List.of("--timeout", "3", "x.test"), CheckOptions::timeout, Duration.ofSeconds(3)),
            row("--ehlo", List.of("--ehlo", "client.example", "x.test"), CheckOptions::ehloName,
                Optional.of("client.example")),
            row("-- ends options", List.of("--json", "--", "x.test"), CheckOptions::domains, names("x.test")));
    }

    private static List<DomainName> names(String... names) {
        return Stream.of(names).map(n -> DomainName.of(n).orElseThrow()).collect(Collectors.toList());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            bad("no domain", List.of(), "no domain given"),
            bad("only options", List.of("--json"), "no domain given"),
            bad("unknown option", List.of("--frobnicate", "x.test"), "unknown option --frobnicate"),
            bad("option without value", List.of("x.test", "--dns"), "--dns needs a value"),
            bad("--json with a value", List.of("--json=yes", "x.test"), "--json takes no value"),
            bad("--dane with a value", List.of("--dane=yes", "x.test"), "--dane takes no value"),
            bad("trust anchors without --dane", List.of("--trust-anchors", "/etc/hosts", "x.test"), "add --dane"),
            bad("missing trust anchor file", List.of("--dane", "--trust-anchors", "/nonexistent/anchors.txt", "x.test"),
                "no readable file"),
            bad("bad CIDR", List.of("--allow-network", "10.0.0.0/33", "x.test"), "--allow-network"),
            bad("CIDR given as a name", List.of("--allow-network", "localhost", "x.test"), "not a CIDR block"),
            bad("--dns port out of range", List.of("--dns", "127.0.0.1:70000", "x.test"), "port number 1-65535"),
            bad("--dns garbage", List.of("--dns", "a b", "x.test"), "expected HOST[:PORT]"),
            bad("--port not a number", List.of("--port", "smtp", "x.test"), "--port smtp"),
            bad("--timeout above RFC 8461 3.3 bound", List.of("--timeout", "61", "x.test"), "1-60"),
            bad("--timeout zero", List.of("--timeout", "0", "x.test"), "1-60"),
            bad("missing trust store file", List.of("--trust-store", "/nonexistent/mta-sts-cli/ca.pem", "x.test"),
                "no readable file"),
            bad("password without trust store", List.of("--trust-store-password", "x", "x.test"), "needs --trust-store"),
            bad("A 4.1 IP literal is no policy domain", List.of("192.0.2.1"), "not a domain name"),
            bad("single label", List.of("localhost"), "not a domain name"),
            bad("wildcard", List.of("*.example.com"), "not a domain name"),
            bad("URL instead of domain", List.of("https://example.com/"), "not a domain name"),
            bad("bad --ehlo", List.of("--ehlo", "a b", "x.test"), "--ehlo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void parseShouldAccept(String rule, List<String> args, Function<CheckOptions, Object> field, Object expected)
        throws UsageException {
        assertThat(field.apply(CheckOptions.parse(args))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void parseShouldRejectWithMessage(String rule, List<String> args, String message) {
        assertThatThrownBy(() -> CheckOptions.parse(args))
            .isInstanceOf(UsageException.class)
            .hasMessageContaining(message);
    }

    @Test
    void parseShouldKeepReadableTrustStoreWhenFileExists() throws IOException, UsageException {
        Path file = Files.writeString(dir.resolve("ca.pem"), "not checked here");

        CheckOptions options = CheckOptions.parse(List.of("--trust-store", file.toString(), "x.test"));

        assertThat(options.trustStore()).contains(file);
    }

    @Test
    void parseShouldKeepReadableTrustAnchorsWithDane() throws IOException, UsageException {
        Path file = Files.writeString(dir.resolve("anchors.txt"), "test. 3600 IN DS 1 13 2 00");

        CheckOptions options = CheckOptions.parse(List.of("--dane", "--trust-anchors", file.toString(), "x.test"));

        assertThat(options.trustAnchors()).contains(file);
    }

    private static Arguments row(String rule, List<String> args, Function<CheckOptions, Object> field, Object expected) {
        return Arguments.of(rule, args, field, expected);
    }

    private static Arguments bad(String rule, List<String> args, String message) {
        return Arguments.of(rule, args, message);
    }
}
