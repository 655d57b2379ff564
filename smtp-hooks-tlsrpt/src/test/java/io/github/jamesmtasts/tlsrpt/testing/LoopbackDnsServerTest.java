package io.github.jamesmtasts.tlsrpt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Queries {@link LoopbackDnsServer} with dnsjava's own resolver on a non-53 port. */
class LoopbackDnsServerTest {
    private static final String DNS_IP = "127.0.0.22";

    private LoopbackDnsServer dns;
    private SimpleResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = LoopbackDnsServer.start(DNS_IP, 0).zone("example.test").zone("alias.test");
        resolver = new SimpleResolver(DNS_IP);
        resolver.setPort(dns.port());
        resolver.setTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void addressAndMxRecordsShouldBeAnswered() throws Exception {
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test")
                .a("mx1.example.test", "127.0.0.31").aaaa("mx1.example.test", "::1");

        Message mx = query("example.test", Type.MX);
        assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(mx.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(mx.getSection(Section.ANSWER)).extracting(r -> ((MXRecord) r).getPriority() + " " + ((MXRecord) r).getTarget())
                .containsExactly("10 mx1.example.test.", "20 mx2.example.test.");
        assertThat(query("mx1.example.test", Type.A).getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly("127.0.0.31");
        assertThat(query("mx1.example.test", Type.AAAA).getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly("0:0:0:0:0:0:0:1");
    }

    @Test
    void txtRecordShouldKeepItsSeparateStrings() throws Exception {
        dns.txt("_mta-sts.example.test", "v=STSv1; ", "id=20240101");

        List<Record> answer = query("_mta-sts.example.test", Type.TXT).getSection(Section.ANSWER);
        assertThat(answer).hasSize(1);
        assertThat(((TXTRecord) answer.get(0)).getStrings()).containsExactly("v=STSv1; ", "id=20240101");
    }

    @Test
    void cnameShouldBeFollowedAcrossZonesWeServe() throws Exception {
        dns.cname("_mta-sts.alias.test", "_mta-sts.example.test").txt("_mta-sts.example.test", "v=STSv1; id=1");

        Lookup lookup = new Lookup("_mta-sts.alias.test.", Type.TXT);
        lookup.setResolver(resolver);
        lookup.setCache(new Cache(DClass.IN));
        Record[] records = lookup.run();

        assertThat(lookup.getResult()).isEqualTo(Lookup.SUCCESSFUL);
        assertThat(records).extracting(Record::rdataToString).containsExactly("\"v=STSv1; id=1\"");
    }

    @Test
    void unknownNameShouldBeNxdomainAndOtherTypeNodata() throws Exception {
        dns.a("host.example.test", "127.0.0.31");

        assertThat(query("missing.example.test", Type.TXT).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        Message nodata = query("host.example.test", Type.TXT);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void nameOutsideConfiguredZonesShouldBeRefused() throws Exception {
        assertThat(query("example.com", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void servfailShouldBeInjectedPerNameAndRemovable() throws Exception {
        dns.txt("_mta-sts.example.test", "v=STSv1; id=1").servfail("_mta-sts.example.test");

        assertThat(query("_mta-sts.example.test", Type.TXT).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(query("other.example.test", Type.TXT).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        dns.stopServfail("_mta-sts.example.test");
        assertThat(query("_mta-sts.example.test", Type.TXT).getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void recordChangesShouldBeSeenByTheNextQuery() throws Exception {
        dns.txt("_mta-sts.example.test", "v=STSv1; id=1");
        assertThat(query("_mta-sts.example.test", Type.TXT).getSection(Section.ANSWER)).hasSize(1);

        dns.remove("_mta-sts.example.test", "TXT").txt("_mta-sts.example.test", "v=STSv1; id=2");

        assertThat(query("_mta-sts.example.test", Type.TXT).getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly("\"v=STSv1; id=2\"");
        assertThat(dns.queries()).containsExactly("_mta-sts.example.test. TXT", "_mta-sts.example.test. TXT");
    }

    @Test
    void tcpShouldAnswerLikeUdp() throws Exception {
        dns.txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:reports@example.test");
        resolver.setTCP(true);

        assertThat(query("_smtp._tls.example.test", Type.TXT).getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void answerTooLargeForUdpShouldBeTruncatedAndCompleteOverTcp() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String text = i + "x".repeat(200);
            dns.txt("big.example.test", text);
            expected.add("\"" + text + "\"");
        }
        Message udpOnly = new Message(queryBytes("big.example.test"));
        // SimpleResolver retries over TCP by itself when TC is set, so compare the raw UDP answer first.
        resolver.setIgnoreTruncation(true);
        assertThat(resolver.send(udpOnly).getHeader().getFlag(Flags.TC)).isTrue();

        resolver.setIgnoreTruncation(false);
        assertThat(query("big.example.test", Type.TXT).getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void recordOutsideZonesShouldBeRejected() {
        assertThatThrownBy(() -> dns.a("host.elsewhere.test", "127.0.0.31"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the zones");
    }

    @Test
    void startShouldRefuseNonLoopbackAddress() {
        assertThatThrownBy(() -> LoopbackDnsServer.start("192.0.2.1", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }

    private Message query(String name, int type) throws Exception {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    private static byte[] queryBytes(String name) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.TXT, DClass.IN)).toWire();
    }
}
