package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;

/**
 * A real James 3.8.1 loads our WebAdmin routes from {@code webadmin.properties} {@code extensions.routes} and builds
 * them through Guice with the singletons of {@code MtaStsModule} and James's own {@code Clock}. One James boot.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class WebAdminRoutesEndToEndTest {
    private static final String DNS_IP = "127.0.12.53";
    private static final String JAMES_IP = "127.0.12.1";
    private static final String PLAIN_DOMAIN = "plain.test";
    static final String ROUTES = "io.github.jamesmtasts.mtasts.james.webadmin.MtaStsPolicyRoutes,"
            + "io.github.jamesmtasts.mtasts.james.webadmin.MtaStsDaneRoutes,"
            + "io.github.jamesmtasts.tlsrpt.james.webadmin.TlsRptRoutes";

    private static LoopbackDnsServer dns;
    private static JamesServerProcess james;

    @BeforeAll
    static void startJames() throws Exception {
        dns = EndToEnd.dnsOnPort53(DNS_IP).zone(PLAIN_DOMAIN);
        int webAdminPort = freePort();
        // The whole file, because JamesLauncher writes confFile() contents after its own host/port edits.
        String webAdmin = "enabled=true\nhost=" + JAMES_IP + "\nport=" + webAdminPort + "\nhttps.enabled=false\n"
                // James's own Prometheus route, to read our metrics the way docs/operations.md tells administrators.
                + "extensions.routes=" + ROUTES + ",org.apache.james.webadmin.dropwizard.MetricsRoutes\n";
        james = JamesServerProcess.builder(EndToEnd.distribution(), EndToEnd.dropIn())
                .workingDirectory(EndToEnd.runDirectory("webadmin-routes"))
                .smtp(JAMES_IP, 0)
                .webAdmin(JAMES_IP, webAdminPort)
                .dnsServer(DNS_IP)
                .confFile("webadmin.properties", webAdmin)
                .start();
    }

    @AfterAll
    static void stopJames() {
        if (james != null) {
            james.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(JAMES_IP))) {
            return socket.getLocalPort();
        }
    }

    @Test
    void unknownPolicyDomainShouldAnswer404FromOurRoutes() {
        HttpResponse<String> response = james.webAdmin("GET", "/mta-sts/policies/unknown.test", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"type\":\"notFound\"", "unknown.test", "action=refresh");
    }

    @Test
    void daneViewShouldSayDaneIsNotEnabledWhileNoMailetEnablesIt() {
        HttpResponse<String> response = james.webAdmin("GET", "/mta-sts/dane/" + PLAIN_DOMAIN, null);

        // The example mailet runs without mtasts.dane: the validating lookup is never opened, and the view says so.
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("\"type\":\"WrongState\"", "DANE is not enabled", "mtasts.dane=true");
        assertThat(dns.queries()).noneSatisfy(query -> assertThat(query).contains("TLSA"));
    }

    @Test
    void todaysCountersShouldAnswer200() {
        String today = LocalDate.now(Clock.systemUTC()).toString();

        HttpResponse<String> response = james.webAdmin("GET", "/tlsrpt/days/" + today, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"day\":\"" + today + "\"", "\"policyDomains\":[");
    }

    @Test
    void policyListShouldAnswer200() {
        HttpResponse<String> response = james.webAdmin("GET", "/mta-sts/policies?mode=enforce&limit=10", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"total\":0", "\"policies\":[]");
    }

    @Test
    void refreshShouldLookUpTheRecordThroughJamesDnsAndPublishTheLookupMetric() {
        HttpResponse<String> refresh = james.webAdmin("POST", "/mta-sts/policies/" + PLAIN_DOMAIN + "?action=refresh", null);
        HttpResponse<String> metrics = james.webAdmin("GET", "/metrics", null);

        assertThat(refresh.statusCode()).isEqualTo(200);
        assertThat(refresh.body()).contains("\"decision\":\"no-policy\"");
        assertThat(dns.queries()).anySatisfy(query -> assertThat(query).contains("_mta-sts." + PLAIN_DOMAIN));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("mtasts_policy_lookups_absent");
    }
}
