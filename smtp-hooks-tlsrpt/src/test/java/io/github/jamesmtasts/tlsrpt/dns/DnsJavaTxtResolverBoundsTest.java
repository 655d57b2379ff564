package io.github.jamesmtasts.tlsrpt.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** H2: hostile TXT answers (many records, a record filling a whole DNS message) over a real loopback DNS server. */
class DnsJavaTxtResolverBoundsTest {

    private static final String DNS_IP = "127.0.0.53";

    private LoopbackDnsServer dns;
    private DnsJavaTxtResolver txt;

    @BeforeEach
    void start() throws Exception {
        dns = LoopbackDnsServer.start(DNS_IP, 0).zone("hostile.test");
        SimpleResolver resolver = new SimpleResolver(DNS_IP);
        resolver.setPort(dns.port());
        resolver.setTimeout(Duration.ofSeconds(5));
        txt = DnsJavaTxtResolver.using(resolver);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void moreRecordsThanTheBoundShouldBeATemporaryFailureNamingTheBound() {
        for (int i = 0; i < DnsJavaTxtResolver.MAX_RECORDS + 1; i++) {
            dns.txt("_smtp._tls.hostile.test", "r" + i);
        }

        TxtAnswer answer = txt.lookup(DomainName.parseOwnerName("_smtp._tls.hostile.test").name().orElseThrow());

        assertThat(answer.kind()).isEqualTo(TxtAnswer.Kind.TEMPORARY_FAILURE);
        assertThat(answer.failureReason()).get().asString().contains("more than " + DnsJavaTxtResolver.MAX_RECORDS);
    }

    @Test
    void recordsUpToTheBoundShouldAllBeKept() {
        for (int i = 0; i < DnsJavaTxtResolver.MAX_RECORDS; i++) {
            dns.txt("_smtp._tls.hostile.test", "r" + i);
        }

        assertThat(txt.lookup(DomainName.parseOwnerName("_smtp._tls.hostile.test").name().orElseThrow()).records()).hasSize(DnsJavaTxtResolver.MAX_RECORDS);
    }

    @Test
    void recordFillingALargeTcpAnswerShouldBeJoinedWhole() {
        String[] strings = new String[240];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = (i == 0 ? "v=TLSRPTv1;x=" : "") + "y".repeat(i == 0 ? 242 : 255);
        }
        dns.txt("_smtp._tls.hostile.test", strings);

        TxtAnswer answer = txt.lookup(DomainName.parseOwnerName("_smtp._tls.hostile.test").name().orElseThrow());

        assertThat(answer.kind()).isEqualTo(TxtAnswer.Kind.FOUND);
        assertThat(answer.records().get(0)).hasSize(240 * 255).startsWith("v=TLSRPTv1;x=y");
    }
}
