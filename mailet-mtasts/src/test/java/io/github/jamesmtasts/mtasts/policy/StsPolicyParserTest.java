package io.github.jamesmtasts.mtasts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StsPolicyParserTest {

    private static final String GOOD = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.net\nmax_age: 604800\n";

    static Stream<Arguments> accepted() {
        return Stream.of(
            ok("P 3.2 RFC example with LF", GOOD, Mode.ENFORCE, 604800, "mx1.example.com", "*.example.net"),
            ok("P 3.2 CRLF terminators", GOOD.replace("\n", "\r\n"), Mode.ENFORCE, 604800, "mx1.example.com", "*.example.net"),
            ok("P 3.2 mixed LF and CRLF", "version: STSv1\r\nmode: testing\nmx: mx.example.com\r\nmax_age: 86400",
                Mode.TESTING, 86400, "mx.example.com"),
            ok("P 3.2 no final terminator", "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 1",
                Mode.TESTING, 1, "mx.example.com"),
            ok("P 3.2 no WSP after ':'", "version:STSv1\nmode:enforce\nmx:mx.example.com\nmax_age:60", Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 tabs and spaces after ':'", "version:\t STSv1\nmode:  enforce\nmx:\tmx.example.com\nmax_age: 60",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 trailing WSP trimmed from values", "version: STSv1 \nmode: enforce\t\nmx: mx.example.com  \nmax_age: 60 ",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 fields in any order", "max_age: 60\nmx: mx.example.com\nmode: enforce\nversion: STSv1", Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 mode none without mx", "version: STSv1\nmode: none\nmax_age: 86400\n", Mode.NONE, 86400),
            ok("P 3.2 mode none keeps mx", "version: STSv1\nmode: none\nmx: mx.example.com\nmax_age: 86400\n", Mode.NONE, 86400, "mx.example.com"),
            ok("P 3.2 first mode wins", "version: STSv1\nmode: testing\nmode: enforce\nmx: mx.example.com\nmax_age: 60",
                Mode.TESTING, 60, "mx.example.com"),
            ok("P 3.2 first max_age wins", "version: STSv1\nmode: enforce\nmax_age: 60\nmax_age: 999\nmx: mx.example.com",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 first version wins", "version: STSv1\nversion: STSv2\nmode: enforce\nmax_age: 60\nmx: mx.example.com",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 every mx is kept in order", "version: STSv1\nmode: enforce\nmx: b.example.com\nmx: a.example.com\nmax_age: 60",
                Mode.ENFORCE, 60, "b.example.com", "a.example.com"),
            ok("P 3.2 unknown keys ignored", "version: STSv1\nmode: enforce\nfoo: bar baz\nx-future_key.v2: anything at all\nmx: mx.example.com\nmax_age: 60",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 unknown key with empty value ignored", "version: STSv1\nmode: enforce\nnote:\nmx: mx.example.com\nmax_age: 60",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 unknown key with UTF-8 value ignored", "version: STSv1\nmode: enforce\nnote: caf\u00e9\nmx: mx.example.com\nmax_age: 60",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 max_age at the cap", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557600", Mode.ENFORCE, 31557600, "mx.example.com"),
            ok("P 3.2 max_age above the cap is capped", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557601",
                Mode.ENFORCE, 31557600, "mx.example.com"),
            ok("P 3.2 max_age of 10 nines is capped", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 9999999999",
                Mode.ENFORCE, 31557600, "mx.example.com"),
            ok("P 3.2 max_age with leading zeros", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 0000000060",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 max_age zero", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 0", Mode.ENFORCE, 0, "mx.example.com"),
            ok("P 3.2 blank lines ignored", "\nversion: STSv1\n\r\n  \nmode: enforce\n\nmx: mx.example.com\nmax_age: 60\n\n\n",
                Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 mx with trailing dot", "version: STSv1\nmode: enforce\nmx: mx.example.com.\nmax_age: 60", Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 mx in upper case normalised", "version: STSv1\nmode: enforce\nmx: MX.Example.COM\nmax_age: 60", Mode.ENFORCE, 60, "mx.example.com"),
            ok("P 3.2 mx A-label", "version: STSv1\nmode: enforce\nmx: mx.xn--bcher-kva.example\nmax_age: 60",
                Mode.ENFORCE, 60, "mx.xn--bcher-kva.example"),
            ok("P 3.2 UTF-8 BOM dropped", "\uFEFF" + GOOD, Mode.ENFORCE, 604800, "mx1.example.com", "*.example.net"));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            bad("P 3.2 empty body", "", "no 'version: STSv1'"),
            bad("P 3.2 missing version", "mode: enforce\nmx: mx.example.com\nmax_age: 60", "no 'version: STSv1'"),
            bad("P 3.2 wrong version", "version: STSv2\nmode: enforce\nmx: mx.example.com\nmax_age: 60", "line 1"),
            bad("P 3.2 version value case-sensitive", "version: stsv1\nmode: enforce\nmx: mx.example.com\nmax_age: 60", "line 1"),
            bad("P 3.2 key names case-sensitive", "Version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 60", "no 'version: STSv1'"),
            bad("P 3.2 missing mode", "version: STSv1\nmx: mx.example.com\nmax_age: 60", "no 'mode:'"),
            bad("P 3.2 unknown mode", "version: STSv1\nmode: enforcing\nmx: mx.example.com\nmax_age: 60", "line 2 'mode: enforcing'"),
            bad("P 3.2 mode case-sensitive", "version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 60", "line 2"),
            bad("P 3.2 first mode wins even when invalid", "version: STSv1\nmode: strict\nmode: enforce\nmx: mx.example.com\nmax_age: 60", "line 2"),
            bad("P 3.2 empty mode", "version: STSv1\nmode:\nmx: mx.example.com\nmax_age: 60", "line 2"),
            bad("P 3.2 missing max_age", "version: STSv1\nmode: enforce\nmx: mx.example.com", "no 'max_age:'"),
            bad("P 3.2 max_age of 11 digits", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557600000", "line 4"),
            bad("P 3.2 negative max_age", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: -1", "line 4"),
            bad("P 3.2 signed max_age", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: +60", "line 4"),
            bad("P 3.2 max_age with unit", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 60s", "line 4"),
            bad("P 3.2 empty max_age", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age:", "line 4"),
            bad("P 3.2 non-ASCII digits in max_age", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: \u0666\u0660", "line 4"),
            bad("P 3.2 enforce without mx", "version: STSv1\nmode: enforce\nmax_age: 60", "no 'mx:'"),
            bad("P 3.2 testing without mx", "version: STSv1\nmode: testing\nmax_age: 60", "no 'mx:'"),
            bad("P 3.2 IP-literal mx", "version: STSv1\nmode: enforce\nmx: 192.0.2.25\nmax_age: 60", "line 3 'mx: 192.0.2.25'"),
            bad("P 3.2 IPv6-literal mx", "version: STSv1\nmode: enforce\nmx: 2001:db8::25\nmax_age: 60", "line 3"),
            bad("P 3.2 any-depth wildcard *.* mx", "version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 60", "line 3"),
            bad("P 3.2 regex mx", "version: STSv1\nmode: enforce\nmx: .*\\.example\\.com\nmax_age: 60", "line 3"),
            bad("P 3.2 inner wildcard mx", "version: STSv1\nmode: enforce\nmx: mx.*.example.com\nmax_age: 60", "line 3"),
            bad("P 3.2 U-label mx", "version: STSv1\nmode: enforce\nmx: mx.b\u00fccher.example\nmax_age: 60", "line 3"),
            bad("P 3.2 empty mx", "version: STSv1\nmode: enforce\nmx:\nmax_age: 60", "line 3"),
            bad("P 3.2 two mx on one line", "version: STSv1\nmode: enforce\nmx: a.example.com b.example.com\nmax_age: 60", "line 3"),
            bad("P 3.2 one bad mx among good ones", "version: STSv1\nmode: enforce\nmx: a.example.com\nmx: 10.0.0.1\nmax_age: 60", "line 4"),
            bad("P 3.2 bad mx invalid even in mode none", "version: STSv1\nmode: none\nmx: *\nmax_age: 60", "line 3"),
            bad("P 3.2 line without ':'", "version: STSv1\nmode: enforce\nmx mx.example.com\nmax_age: 60", "line 3"),
            bad("P 3.2 HTML error page", "<html><body>Not found</body></html>", "line 1"),
            bad("P 3.2 WSP before ':'", "version: STSv1\nmode : enforce\nmx: mx.example.com\nmax_age: 60", "line 2"),
            bad("P 3.2 leading WSP before key", "version: STSv1\n mode: enforce\nmx: mx.example.com\nmax_age: 60", "line 2"),
            bad("P 3.2 lone CR is not a terminator", "version: STSv1\rmode: enforce\nmx: mx.example.com\nmax_age: 60", "line 1"),
            bad("P 3.2 control character in unknown key value", "version: STSv1\nmode: enforce\nnote: a\u0000b\nmx: mx.example.com\nmax_age: 60", "line 3"),
            bad("P 3.2 CR CR LF leaves a control character", "version: STSv1\r\r\nmode: enforce\nmx: mx.example.com\nmax_age: 60", "line 1"),
            bad("P 3.2 key longer than 32 characters", GOOD + "k".repeat(33) + ": v\n", "line 6"),
            bad("P 3.2 TXT-style record served as policy", "v=STSv1; id=1", "line 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptedPoliciesShouldYieldModeMaxAgeAndMx(String rule, String body, Mode mode, long maxAge, List<String> mx) {
        StsPolicyParseResult result = StsPolicyParser.parse(body);

        assertThat(result.reason()).isEmpty();
        StsPolicy policy = result.policy().orElseThrow();
        assertThat(policy.mode()).isEqualTo(mode);
        assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(maxAge));
        assertThat(policy.mx()).extracting(MxPattern::value).containsExactlyElementsOf(mx);
        assertThat(policy.lines()).containsExactlyElementsOf(expectedLines(body));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedPoliciesShouldBeInvalidWithReasonNamingTheProblem(String rule, String body, String reasonFragment) {
        StsPolicyParseResult result = StsPolicyParser.parse(body);

        assertThat(result.policy()).isEmpty();
        assertThat(result.reason()).hasValueSatisfying(r -> assertThat(r).contains(reasonFragment).doesNotContainPattern("\\p{Cntrl}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void linesShouldReparseToTheSamePolicy(String rule, String body, Mode mode, long maxAge, List<String> mx) {
        StsPolicy policy = StsPolicyParser.parse(body).policy().orElseThrow();

        assertThat(StsPolicyParser.parse(String.join("\n", policy.lines())).policy()).hasValue(policy);
    }

    private static List<String> expectedLines(String body) {
        return Arrays.stream(body.replace("\uFEFF", "").split("\r?\n", -1))
            .filter(line -> !line.isBlank())
            .collect(Collectors.toList());
    }

    private static Arguments ok(String rule, String body, Mode mode, long maxAge, String... mx) {
        return arguments(rule, body, mode, maxAge, List.of(mx));
    }

    private static Arguments bad(String rule, String body, String reasonFragment) {
        return arguments(rule, body, reasonFragment);
    }
}
