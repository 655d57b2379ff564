package io.github.jamesmtasts.tlsrpt.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;

class TlsRptRecordParserTest {

    static Arguments row(String name, String record, Object expected) {
        return Arguments.of(name, record, expected);
    }

    static ReportUri mailto(String address, String original) {
        return ReportUri.mailto(address, original);
    }

    static ReportUri https(String url, String original) {
        return ReportUri.https(url, original);
    }

    static TlsRptRecord record(ReportUri... uris) {
        return TlsRptRecord.of(List.of(uris));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
            row("TXT 3 RFC example mailto", "v=TLSRPTv1;rua=mailto:reports@example.com",
                record(mailto("reports@example.com", "mailto:reports@example.com"))),
            row("TXT 3 RFC example https", "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt",
                record(https("https://reporting.example.com/v1/tlsrpt", "https://reporting.example.com/v1/tlsrpt"))),
            row("TXT 3 two URIs, WSP around comma", "v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.com/x",
                record(mailto("a@example.com", "mailto:a@example.com"), https("https://r.example.com/x", "https://r.example.com/x"))),
            row("TXT 3 trailing delimiter", "v=TLSRPTv1;rua=mailto:a@example.com;",
                record(mailto("a@example.com", "mailto:a@example.com"))),
            row("TXT 3 trailing delimiter with WSP", "v=TLSRPTv1 ;\trua=mailto:a@example.com ; ",
                record(mailto("a@example.com", "mailto:a@example.com"))),
            row("TXT 3 bang encoded in mailto is decoded", "v=TLSRPTv1;rua=mailto:tls%21reports@example.com",
                record(mailto("tls!reports@example.com", "mailto:tls%21reports@example.com"))),
            row("TXT 3 bang and semicolon encoded in https are decoded",
                "v=TLSRPTv1;rua=https://r.example.com/a%21b%3bc?x=%2F",
                record(https("https://r.example.com/a!b;c?x=%2F", "https://r.example.com/a%21b%3bc?x=%2F"))),
            row("TXT 3 other scheme ignored, https kept", "v=TLSRPTv1;rua=http://r.example.com/,https://r.example.com/",
                record(https("https://r.example.com/", "https://r.example.com/"))),
            row("TXT 3 scheme is case-insensitive", "v=TLSRPTv1;rua=MAILTO:a@example.com",
                record(mailto("a@example.com", "MAILTO:a@example.com"))),
            row("TXT 3 mailto hfields dropped", "v=TLSRPTv1;rua=mailto:a@example.com?subject=x",
                record(mailto("a@example.com", "mailto:a@example.com?subject=x"))),
            row("TXT 3 extension before rua", "v=TLSRPTv1;ext_1.a=val;rua=mailto:a@example.com",
                record(mailto("a@example.com", "mailto:a@example.com"))),
            row("TXT 3 extension after rua", "v=TLSRPTv1;rua=mailto:a@example.com;x=1",
                record(mailto("a@example.com", "mailto:a@example.com"))));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            row("TXT 3 empty", "", "must start with"),
            row("TXT 3 version missing", "rua=mailto:a@example.com", "must start with"),
            row("TXT 3 version not first", "rua=mailto:a@example.com;v=TLSRPTv1", "must start with"),
            row("TXT 3 version is case-sensitive", "v=tlsrptv1;rua=mailto:a@example.com", "must start with"),
            row("TXT 3 other version", "v=TLSRPTv10;rua=mailto:a@example.com", "must start with"),
            row("TXT 3 version only", "v=TLSRPTv1", "no rua"),
            row("TXT 3 version and delimiter only", "v=TLSRPTv1;", "no rua"),
            row("TXT 3 rua is case-sensitive", "v=TLSRPTv1;RUA=mailto:a@example.com", "no rua"),
            row("TXT 3 missing delimiter", "v=TLSRPTv1 rua=mailto:a@example.com", "separated by"),
            row("TXT 3 empty rua", "v=TLSRPTv1;rua=", "not a URI"),
            row("TXT 3 empty URI in list", "v=TLSRPTv1;rua=mailto:a@example.com,,mailto:b@example.com", "not a URI"),
            row("TXT 3 raw bang must be encoded", "v=TLSRPTv1;rua=https://r.example.com/a!b", "not a URI"),
            row("TXT 3 space inside URI", "v=TLSRPTv1;rua=mailto:a b@example.com", "not a URI"),
            row("TXT 3 no scheme", "v=TLSRPTv1;rua=reports@example.com", "not a URI"),
            row("TXT 3 only unsupported schemes", "v=TLSRPTv1;rua=http://r.example.com/", "no usable"),
            row("TXT 3 mailto without domain", "v=TLSRPTv1;rua=mailto:reports", "no usable"),
            row("TXT 3 encoded comma makes two mailboxes in one mailto",
                "v=TLSRPTv1;rua=mailto:a@example.com%2Cb@example.com", "no usable"),
            row("TXT 3 mailto with encoded CRLF", "v=TLSRPTv1;rua=mailto:a%0D%0ABcc:x@example.com", "no usable"),
            row("TXT 3 https without host", "v=TLSRPTv1;rua=https:/path", "no usable"),
            row("TXT 3 duplicate rua", "v=TLSRPTv1;rua=mailto:a@example.com;rua=mailto:b@example.com", "more than one rua"),
            row("TXT 3 field without value separator", "v=TLSRPTv1;rua=mailto:a@example.com;junk", "not name=value"),
            row("TXT 3 extension name too long", "v=TLSRPTv1;rua=mailto:a@example.com;" + "a".repeat(33) + "=1",
                "valid extension"),
            row("TXT 3 extension value with equals", "v=TLSRPTv1;rua=mailto:a@example.com;x=a=b", "valid extension"),
            row("TXT 3 extension empty value", "v=TLSRPTv1;rua=mailto:a@example.com;x=", "valid extension"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void shouldAccept(String name, String txt, TlsRptRecord expected) {
        assertThat(TlsRptRecordParser.parse(txt)).isEqualTo(TxtRecordOutcome.valid(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void shouldReject(String name, String txt, String reasonFragment) {
        TxtRecordOutcome<TlsRptRecord> outcome = TlsRptRecordParser.parse(txt);

        assertThat(outcome.kind()).isEqualTo(TxtRecordOutcome.Kind.INVALID);
        assertThat(outcome.reason()).get().asString().contains(reasonFragment);
    }
}
