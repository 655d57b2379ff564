package io.github.jamesmtasts.tlsrpt.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;

class TlsRptDiscoveryTest {

    private static final String NAME = "_smtp._tls.reports.test";
    private static final String GOOD = "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test";

    static Stream<Arguments> outcomes() {
        return Stream.of(
            Arguments.of("TXT 3 one valid record", InMemoryTxtResolver.create().withRecords(NAME, GOOD),
                TxtRecordOutcome.Kind.VALID),
            Arguments.of("TXT 3 foreign records are discarded",
                InMemoryTxtResolver.create().withRecords(NAME, "v=spf1 -all", GOOD, "google-site-verification=x"),
                TxtRecordOutcome.Kind.VALID),
            Arguments.of("TXT 3 no record is absent", InMemoryTxtResolver.create(), TxtRecordOutcome.Kind.ABSENT),
            Arguments.of("TXT 3 only foreign records is absent",
                InMemoryTxtResolver.create().withRecords(NAME, "v=spf1 -all", "v=TLSRPTv10; rua=mailto:a@reports.test"),
                TxtRecordOutcome.Kind.ABSENT),
            Arguments.of("TXT 3 two TLSRPT records is multiple",
                InMemoryTxtResolver.create().withRecords(NAME, GOOD, "v=TLSRPTv1; rua=mailto:b@reports.test"),
                TxtRecordOutcome.Kind.MULTIPLE),
            Arguments.of("TXT 3 one broken TLSRPT record is invalid",
                InMemoryTxtResolver.create().withRecords(NAME, "v=TLSRPTv1; rua=ftp://reports.test/"),
                TxtRecordOutcome.Kind.INVALID),
            Arguments.of("TXT 3 temporary DNS failure is not absent",
                InMemoryTxtResolver.create().withTemporaryFailure(NAME, "SERVFAIL"), TxtRecordOutcome.Kind.DNS_ERROR),
            Arguments.of("TXT 3 CNAME is followed",
                InMemoryTxtResolver.create().withAlias(NAME, "_smtp._tls.elsewhere.test")
                    .withRecords("_smtp._tls.elsewhere.test", GOOD),
                TxtRecordOutcome.Kind.VALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void discoverShouldClassifyTheAnswer(String name, InMemoryTxtResolver dns, TxtRecordOutcome.Kind expected) {
        assertThat(new TlsRptDiscovery(dns).discover("reports.test").kind()).isEqualTo(expected);
    }

    @Test
    void discoverShouldReturnTheDecodedUris() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create().withRecords(NAME, GOOD);

        TxtRecordOutcome<TlsRptRecord> outcome = new TlsRptDiscovery(dns).discover("Reports.TEST.");

        assertThat(outcome.record()).get().extracting(TlsRptRecord::reportUris)
            .isEqualTo(List.of(ReportUri.mailto("tlsrpt@reports.test", "mailto:tlsrpt@reports.test")));
        assertThat(dns.lookups()).containsExactly(NAME);
    }

    @Test
    void invalidOutcomeShouldNameTheRecordAndTheProblem() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create().withRecords(NAME, "v=TLSRPTv1; rua=ftp://reports.test/");

        TxtRecordOutcome<TlsRptRecord> outcome = new TlsRptDiscovery(dns).discover("reports.test");

        assertThat(outcome.reason()).get().asString().contains(NAME, "no usable mailto: or https: URI");
    }
}
