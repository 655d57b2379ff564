package io.github.jamesmtasts.tlsrpt.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.discover.ReportUri;
import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.discover.TlsRptRecord;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;

class TlsRptRecordCacheTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final String NAME = "_smtp._tls.a.test";

    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create();
    private final TlsRptRecordCache cache = new TlsRptRecordCache(new TlsRptDiscovery(dns), 2);

    @Test
    void lookupShouldAskDnsOncePerDayAndDomain() {
        dns.withRecords(NAME, "v=TLSRPTv1; rua=mailto:r@a.test");

        cache.lookup(DAY, "a.test");
        TxtRecordOutcome<TlsRptRecord> again = cache.lookup(DAY, "a.test");
        cache.lookup(DAY.plusDays(1), "a.test");

        assertThat(again.kind()).isEqualTo(TxtRecordOutcome.Kind.VALID);
        assertThat(dns.lookupCount(NAME)).isEqualTo(2);
    }

    @Test
    void lookupShouldKeepAnAbsentRecordButAskAgainAfterATemporaryFailure() {
        dns.withTemporaryFailure("_smtp._tls.broken.test", "SERVFAIL");

        cache.lookup(DAY, "absent.test");
        cache.lookup(DAY, "absent.test");
        cache.lookup(DAY, "broken.test");
        TxtRecordOutcome<TlsRptRecord> again = cache.lookup(DAY, "broken.test");

        assertThat(dns.lookupCount("_smtp._tls.absent.test")).isEqualTo(1);
        assertThat(again.kind()).isEqualTo(TxtRecordOutcome.Kind.DNS_ERROR);
        assertThat(dns.lookupCount("_smtp._tls.broken.test")).isEqualTo(2);
    }

    @Test
    void forgetShouldMakeTheNextLookupAskDnsAgain() {
        dns.withRecords(NAME, "v=TLSRPTv1; rua=mailto:r@a.test");
        cache.lookup(DAY, "a.test");
        cache.lookup(DAY.minusDays(1), "a.test");

        cache.forget(DAY, "a.test");
        cache.forgetBefore(DAY);
        cache.lookup(DAY, "a.test");
        cache.lookup(DAY.minusDays(1), "a.test");

        assertThat(dns.lookupCount(NAME)).isEqualTo(4);
    }

    @Test
    void destinationsShouldBeTheFirstMaxDestinationsInRecordOrder() {
        dns.withRecords(NAME, "v=TLSRPTv1; rua=mailto:one@a.test,mailto:two@a.test,mailto:three@a.test");

        List<String> destinations = cache.destinations(cache.lookup(DAY, "a.test")).stream()
            .map(ReportUri::original).collect(Collectors.toList());

        assertThat(destinations).containsExactly("mailto:one@a.test", "mailto:two@a.test");
    }
}
