package io.github.jamesmtasts.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;

class MxLookupTest {

    private static LoopbackDnsServer dns;
    private static MxLookup lookup;

    @BeforeAll
    static void start() {
        dns = LoopbackDnsServer.start("127.0.0.60", 0).zone("mxlookup.test")
            .mx("ordered.mxlookup.test", 20, "b.mxlookup.test")
            .mx("ordered.mxlookup.test", 10, "c.mxlookup.test")
            .mx("ordered.mxlookup.test", 20, "a.mxlookup.test")
            .a("a.mxlookup.test", "127.0.0.1")
            .a("b.mxlookup.test", "127.0.0.2")
            .aaaa("b.mxlookup.test", "::1")
            .a("c.mxlookup.test", "127.0.0.3")
            .a("implicit.mxlookup.test", "127.0.0.4")
            .mx("nullmx.mxlookup.test", 0, ".")
            .mx("noaddress.mxlookup.test", 10, "gone.mxlookup.test")
            .mx("broken.mxlookup.test", 10, "a.mxlookup.test")
            .servfail("broken.mxlookup.test");
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(dns.address(), dns.port()));
        resolver.setTimeout(Duration.ofSeconds(10));
        lookup = new MxLookup(resolver);
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @Test
    void lookupShouldOrderHostsByPreferenceThenNameWithAddressesAFirst() throws UnknownHostException {
        MxLookupResult result = lookup.lookup("ordered.mxlookup.test");

        assertThat(result.kind()).isEqualTo(MxLookupResult.Kind.FOUND);
        assertThat(result.hosts()).containsExactly(
            MxHost.of("c.mxlookup.test", 10, List.of(ip("127.0.0.3"))),
            MxHost.of("a.mxlookup.test", 20, List.of(ip("127.0.0.1"))),
            MxHost.of("b.mxlookup.test", 20, List.of(ip("127.0.0.2"), ip("::1"))));
    }

    @Test
    void lookupShouldUseDomainItselfWhenItHasNoMxRecord() throws UnknownHostException {
        MxLookupResult result = lookup.lookup("implicit.mxlookup.test");

        assertThat(result.kind()).isEqualTo(MxLookupResult.Kind.IMPLICIT);
        assertThat(result.hosts()).containsExactly(MxHost.of("implicit.mxlookup.test", 0, List.of(ip("127.0.0.4"))));
    }

    @Test
    void lookupShouldReportNullMx() {
        MxLookupResult result = lookup.lookup("nullmx.mxlookup.test");

        assertThat(result.kind()).isEqualTo(MxLookupResult.Kind.NULL_MX);
        assertThat(result.hosts()).isEmpty();
        assertThat(result.error().get()).contains("RFC 7505");
    }

    @Test
    void lookupShouldReportNxdomain() {
        assertThat(lookup.lookup("missing.mxlookup.test").kind()).isEqualTo(MxLookupResult.Kind.NO_DOMAIN);
    }

    @Test
    void lookupShouldReportDnsErrorWhenServerFails() {
        MxLookupResult result = lookup.lookup("broken.mxlookup.test");

        assertThat(result.kind()).isEqualTo(MxLookupResult.Kind.DNS_ERROR);
        assertThat(result.error().get()).contains("broken.mxlookup.test");
    }

    @Test
    void lookupShouldKeepHostWithoutAddressAndSayWhy() {
        MxHost host = lookup.lookup("noaddress.mxlookup.test").hosts().get(0);

        assertThat(host.addresses()).isEmpty();
        assertThat(host.addressError()).contains("gone.mxlookup.test has no A or AAAA record");
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
