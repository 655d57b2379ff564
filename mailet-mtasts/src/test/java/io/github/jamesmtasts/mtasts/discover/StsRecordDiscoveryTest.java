package io.github.jamesmtasts.mtasts.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

class StsRecordDiscoveryTest {

    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create();
    private final StsRecordDiscovery discovery = new StsRecordDiscovery(dns);

    @Test
    void discoverShouldReturnRecordAndTtlWhenExactlyOneStsRecordExists() {
        dns.withRecords("_mta-sts.example.test", Duration.ofSeconds(300), "v=STSv1; id=20240101", "some-other=record");

        assertThat(discovery.discover(DomainName.of("example.test").orElseThrow()))
            .isEqualTo(TxtRecordOutcome.valid(StsRecord.of("20240101"), Duration.ofSeconds(300)));
        assertThat(dns.lookups()).containsExactly("_mta-sts.example.test");
    }

    @Test
    void discoverShouldIgnoreTrailingDotOfDomain() {
        dns.withRecords("_mta-sts.example.test", "v=STSv1; id=1");

        assertThat(discovery.discover(DomainName.of("example.test.").orElseThrow()).kind()).isEqualTo(TxtRecordOutcome.Kind.VALID);
    }

    @Test
    void discoverShouldLookUpALabelsWhenDomainIsInternationalised() {
        dns.withRecords("_mta-sts.xn--bcher-kva.test", "v=STSv1; id=idn1");

        assertThat(discovery.discover(DomainName.of("B\u00fccher.test").orElseThrow()).record()).hasValue(StsRecord.of("idn1"));
        assertThat(dns.lookups()).containsExactly("_mta-sts.xn--bcher-kva.test");
    }


    @Test
    void discoverShouldFollowCnameAliases() {
        dns.withAlias("_mta-sts.example.test", "_mta-sts.provider.test")
            .withRecords("_mta-sts.provider.test", "v=STSv1; id=shared1");

        assertThat(discovery.discover(DomainName.of("example.test").orElseThrow()).record()).hasValue(StsRecord.of("shared1"));
    }

    @Test
    void discoverShouldBeAbsentWhenNameHasNoRecord() {
        assertThat(discovery.discover(DomainName.of("example.test").orElseThrow())).isEqualTo(TxtRecordOutcome.absent());
    }

    @Test
    void discoverShouldBeAbsentWhenNoRecordStartsWithVersion() {
        dns.withRecords("_mta-sts.example.test", "v=spf1 -all", "V=STSv1; id=1", "v=STSv10; id=2");

        assertThat(discovery.discover(DomainName.of("example.test").orElseThrow())).isEqualTo(TxtRecordOutcome.absent());
    }

    @Test
    void discoverShouldBeMultipleWhenTwoStsRecordsExistEvenIfOneIsMalformed() {
        dns.withRecords("_mta-sts.example.test", "v=STSv1; id=1", "v=STSv1; id=bad-id");

        assertThat(discovery.discover(DomainName.of("example.test").orElseThrow())).isEqualTo(TxtRecordOutcome.multiple(
            "_mta-sts.example.test has 2 TXT records starting with v=STSv1; publish exactly one"));
    }

    @Test
    void discoverShouldBeInvalidWithReasonNamingRecordWhenSingleStsRecordIsMalformed() {
        dns.withRecords("_mta-sts.example.test", "v=STSv1; id=2024-01-01", "unrelated");

        TxtRecordOutcome<StsRecord> outcome = discovery.discover(DomainName.of("example.test").orElseThrow());

        assertThat(outcome.kind()).isEqualTo(TxtRecordOutcome.Kind.INVALID);
        assertThat(outcome.reason()).hasValueSatisfying(r -> assertThat(r).contains("_mta-sts.example.test").contains("id"));
    }

    @Test
    void discoverShouldBeDnsErrorNotAbsentWhenLookupFailsTemporarily() {
        dns.withTemporaryFailure("_mta-sts.example.test", "SERVFAIL");

        TxtRecordOutcome<StsRecord> outcome = discovery.discover(DomainName.of("example.test").orElseThrow());

        assertThat(outcome.kind()).isEqualTo(TxtRecordOutcome.Kind.DNS_ERROR);
        assertThat(outcome.reason()).hasValueSatisfying(r -> assertThat(r).contains("_mta-sts.example.test").contains("SERVFAIL"));
    }
}
