package io.github.jamesmtasts.mtasts.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;

class StsRecordParserTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
            row("T 3.1 minimal record", "v=STSv1; id=20160831085700Z", "20160831085700Z"),
            row("T 3.1 no space after ';'", "v=STSv1;id=1", "1"),
            row("T 3.1 WSP before ';'", "v=STSv1 ;id=1", "1"),
            row("T 3.1 tabs and spaces around ';'", "v=STSv1\t; \tid=abc", "abc"),
            row("T 3.1 optional trailing ';'", "v=STSv1; id=1;", "1"),
            row("T 3.1 trailing ';' then WSP", "v=STSv1; id=1; ", "1"),
            row("T 3.1 trailing WSP then ';'", "v=STSv1; id=1 ;", "1"),
            row("T 3.1 id of 32 characters", "v=STSv1; id=" + "a".repeat(32), "a".repeat(32)),
            row("T 3.1 id of 1 character", "v=STSv1; id=Z", "Z"),
            row("T 3.1 id mixed case kept verbatim", "v=STSv1; id=AbC123", "AbC123"),
            row("T 3.1 extension after id", "v=STSv1; id=1; foo=bar", "1"),
            row("T 3.1 extension before id", "v=STSv1; ext.x_y-z=v:a/l<u>e; id=1", "1"),
            row("T 3.1 extension name of 32 characters", "v=STSv1; id=1; " + "n".repeat(32) + "=v", "1"),
            row("T 3.1 extension name starting with digit", "v=STSv1; id=1; 9x=1", "1"),
            row("T 3.1 extension value with every allowed punctuation", "v=STSv1; id=1; x=!\"#$%&'()*+,-./:<>?@[\\]^_`{|}~",
                "1"),
            row("T 3.1 repeated extension accepted", "v=STSv1; id=1; x=first; x=second", "1"),
            row("T 3.1 ID in upper case is an extension, id still required", "v=STSv1; ID=up; id=low", "low"),
            row("T 3.1 first id is the id, a repeat is an extension", "v=STSv1; id=1; id=2", "1"),
            row("T 3.1 repeated identical id is an extension", "v=STSv1; id=1; id=1", "1"),
            row("T 3.1 repeated id needs only an extension value", "v=STSv1; id=1; id=2024-01-01", "1"),
            row("T 3.1 repeated id keeps the first extension value", "v=STSv1; id=a; id=b; id=c", "a"));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            reject("T 3.1 other TXT record is not STS", "google-site-verification=abc", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 empty record is not STS", "", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 version is case-sensitive", "V=STSv1; id=1", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 version token case-sensitive", "v=stsv1; id=1", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 version must be first", "id=1; v=STSv1", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 leading WSP before version", " v=STSv1; id=1", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 other version STSv10 is not STSv1", "v=STSv10; id=1", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 version glued to field", "v=STSv1id=1", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 version only", "v=STSv1", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 version and ';' only", "v=STSv1;", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 missing id", "v=STSv1; foo=bar", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 empty id", "v=STSv1; id=", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 id of 33 characters", "v=STSv1; id=" + "a".repeat(33), TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 id with hyphen", "v=STSv1; id=2024-01-01", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 id with dot", "v=STSv1; id=1.2", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 id with non-ASCII letter", "v=STSv1; id=caf\u00e9", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 repeated id with an invalid extension value", "v=STSv1; id=1; id=a=b", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 repeated id with an empty value", "v=STSv1; id=1; id=", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 first id invalid, a later one does not replace it", "v=STSv1; id=a-b; id=1",
                TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 fields without ';'", "v=STSv1; id=1 foo=bar", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 comma is not a separator", "v=STSv1, id=1", TxtRecordOutcome.Kind.ABSENT),
            reject("T 3.1 trailing WSP without ';'", "v=STSv1; id=1 ", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 empty field between separators", "v=STSv1;; id=1", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 field without '='", "v=STSv1; id=1; flag", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 field with empty name", "v=STSv1; id=1; =x", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 extension with empty value", "v=STSv1; id=1; x=", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 extension value containing '='", "v=STSv1; id=1; x=a=b", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 extension name of 33 characters", "v=STSv1; id=1; " + "n".repeat(33) + "=v", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 extension name starting with '_'", "v=STSv1; id=1; _x=v", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 extension name with '/'", "v=STSv1; id=1; a/b=v", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 extension value with control character", "v=STSv1; id=1; x=a\u0001b", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 extension value with DEL", "v=STSv1; id=1; x=a\u007fb", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 CR LF is not WSP", "v=STSv1;\r\nid=1", TxtRecordOutcome.Kind.INVALID),
            reject("T 3.1 quoted id", "v=STSv1; id=\"1\"", TxtRecordOutcome.Kind.INVALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptedRecordsShouldYieldTheirId(String rule, String text, String id) {
        TxtRecordOutcome<StsRecord> result = StsRecordParser.parse(text);

        assertThat(result).isEqualTo(TxtRecordOutcome.valid(StsRecord.of(id)));
        assertThat(StsRecordParser.isStsRecord(text)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedRecordsShouldBeNotStsOrInvalid(String rule, String text, TxtRecordOutcome.Kind kind) {
        TxtRecordOutcome<StsRecord> result = StsRecordParser.parse(text);

        assertThat(result.kind()).isEqualTo(kind);
        assertThat(result.record()).isEmpty();
        assertThat(StsRecordParser.isStsRecord(text)).isEqualTo(kind == TxtRecordOutcome.Kind.INVALID);
        if (kind == TxtRecordOutcome.Kind.INVALID) {
            assertThat(result.reason()).hasValueSatisfying(r -> assertThat(r).matches("[\\x20-\\x7E]+"));
        }
    }

    private static Arguments row(String rule, String text, String id) {
        return arguments(rule, text, id);
    }

    private static Arguments reject(String rule, String text, TxtRecordOutcome.Kind kind) {
        return arguments(rule, text, kind);
    }
}
