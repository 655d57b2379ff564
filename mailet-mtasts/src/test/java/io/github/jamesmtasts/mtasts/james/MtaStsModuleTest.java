package io.github.jamesmtasts.mtasts.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Domain;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.server.core.configuration.Configuration.ConfigurationPath;
import org.apache.james.utils.PropertiesProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;

import reactor.core.publisher.Mono;

import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.james.ReportSchedulerHealthCheck;
import io.github.jamesmtasts.tlsrpt.testing.LoopbackDnsServer;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;

class MtaStsModuleTest {

    private static final String DANE_DNS_IP = "127.0.0.83";

    @TempDir
    Path james;

    private Injector injector() {
        FileSystem fileSystem = new FolderFileSystem(james);
        return Guice.createInjector(new MtaStsModule(), binder -> {
            binder.bind(FileSystem.class).toInstance(fileSystem);
            binder.bind(PropertiesProvider.class)
                .toInstance(new PropertiesProvider(fileSystem, new ConfigurationPath("file://conf/")));
            binder.bind(MetricFactory.class).toInstance(new RecordingMetricFactory());
            // James binds the clock itself (ClockModule); the module must not.
            binder.bind(Clock.class).toInstance(Clock.systemUTC());
            // What James itself binds for its stock RemoteDelivery.
            binder.bind(DNSService.class).toInstance(new LoopbackDnsService(Map.of(), Map.of()));
            binder.bind(DomainList.class).toInstance(new SingleDomainList());
            binder.bind(new TypeLiteral<MailQueueFactory<?>>() { })
                .toInstance(new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory()));
        });
    }

    @Test
    void moduleShouldShareOneResolverAndRecordIntoTheEmbeddedDatabaseWithoutConfiguration() throws Exception {
        Injector injector = injector();
        MtaStsResources resources = injector.getInstance(MtaStsResources.class);
        try {
            assertThat(injector.getInstance(PolicyResolver.class)).isSameAs(injector.getInstance(DefaultPolicyResolver.class));

            injector.getInstance(TlsRptRecorder.class)
                .record(SessionResult.success(ReportPolicy.noPolicyFound("recorded.test")))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(injector.getInstance(ResultStore.class).policyDomains(LocalDate.now(ZoneOffset.UTC)))
                .contains("recorded.test");
            assertThat(james.resolve("var/mta-sts")).isDirectory();
        } finally {
            resources.close();
        }
    }

    @Test
    void injectorShouldBuildTheMailetLikeJamesDoes() {
        Injector injector = injector();
        try {
            assertThat(injector.getInstance(MtaStsRemoteDelivery.class)).isNotNull();
        } finally {
            injector.getInstance(MtaStsResources.class).close();
        }
    }

    @Test
    void healthChecksListedInHealthcheckPropertiesShouldBeBuiltLikeJamesDoesAndReportTheLoops() {
        Injector injector = injector();
        try {
            // James 3.8.1 builds each class of additional.healthchecks through Guice.
            List<HealthCheck> checks = List.of(injector.getInstance(PolicyRefresherHealthCheck.class),
                injector.getInstance(RecorderWriterHealthCheck.class),
                injector.getInstance(ReportSchedulerHealthCheck.class));

            assertThat(checks).extracting(check -> check.componentName().getName()).containsExactly(
                "mtasts-policy-refresher", "tlsrpt-recorder-writer", "tlsrpt-report-scheduler");
            // The report mailet is not configured here: nothing to be unhealthy about.
            assertThat(checks).allSatisfy(check -> assertThat(Mono.from(check.check()).block().isHealthy()).isTrue());
        } finally {
            injector.getInstance(MtaStsResources.class).close();
        }
    }

    private void daneConfiguration(LoopbackDnsServer dns, LoopbackDnsServer anchors) throws IOException {
        Files.createDirectories(james.resolve("conf"));
        Path anchorFile = anchors.writeTrustAnchor(james.resolve("conf/dane-anchors.txt"));
        Files.writeString(james.resolve("conf/mta-sts.properties"), "dane.resolvers=" + DANE_DNS_IP + ":" + dns.port()
            + "\ndane.trustAnchors=" + anchorFile.toAbsolutePath() + "\n");
    }

    @Test
    void daneValidatorHealthCheckShouldSelfTestTheLookupOnlyOnceADaneMailetOpenedIt() throws Exception {
        try (LoopbackDnsServer dns = LoopbackDnsServer.start(DANE_DNS_IP, 0).signedZone(".").signedZone("test")) {
            daneConfiguration(dns, dns);
            Injector injector = injector();
            MtaStsResources resources = injector.getInstance(MtaStsResources.class);
            try {
                HealthCheck check = injector.getInstance(DaneValidatorHealthCheck.class);
                assertThat(check.componentName().getName()).isEqualTo("mtasts-dane-validator");
                assertThat(Mono.from(check.check()).block().isHealthy()).isTrue();
                assertThat(resources.openedDaneLookup()).isEmpty();
                assertThat(dns.queries()).isEmpty();

                // What DeliveryWiring does for a mailet with mtasts.dane=true.
                assertThat(injector.getInstance(DaneLookups.class).get()).isPresent();

                assertThat(resources.openedDaneLookup()).isPresent();
                assertThat(Mono.from(check.check()).block().isHealthy()).isTrue();
                assertThat(dns.queries()).isNotEmpty();
            } finally {
                resources.close();
            }
        }
    }

    @Test
    void daneValidatorHealthCheckShouldBeUnhealthyWhenValidationFails() throws Exception {
        try (LoopbackDnsServer dns = LoopbackDnsServer.start(DANE_DNS_IP, 0).signedZone(".");
             LoopbackDnsServer otherRoot = LoopbackDnsServer.start(DANE_DNS_IP, 0).signedZone(".")) {
            daneConfiguration(dns, otherRoot);
            Injector injector = injector();
            MtaStsResources resources = injector.getInstance(MtaStsResources.class);
            try {
                injector.getInstance(DaneLookups.class).get();

                Result result = Mono.from(injector.getInstance(DaneValidatorHealthCheck.class).check()).block();

                assertThat(result.isUnHealthy()).isTrue();
                assertThat(result.getCause()).hasValueSatisfying(cause -> assertThat(cause)
                    .startsWith("DNSSEC validation does not work: "));
            } finally {
                resources.close();
            }
        }
    }

    @Test
    void badDaneSettingShouldFailAtStartNamingTheKey() throws IOException {
        Files.createDirectories(james.resolve("conf"));
        Files.writeString(james.resolve("conf/mta-sts.properties"), "dane.queryTimout=5s\n");

        assertThatThrownBy(() -> injector().getInstance(PolicyResolver.class))
            .isInstanceOf(ProvisionException.class)
            .hasMessageContaining("dane.queryTimout");
    }

    @Test
    void badConfigurationValueShouldFailNamingTheKey() throws IOException {
        Files.createDirectories(james.resolve("conf"));
        Files.writeString(james.resolve("conf/mta-sts.properties"), "fetch.timeout=soon\n");

        assertThatThrownBy(() -> injector().getInstance(PolicyResolver.class))
            .isInstanceOf(ProvisionException.class)
            .hasMessageContaining("fetch.timeout");
    }

    /** James's file system seen from a test: {@code file://conf/...} and {@code file://var/...} under one folder. */
    private static final class FolderFileSystem implements FileSystem {
        private final Path base;

        FolderFileSystem(Path base) {
            this.base = base;
        }

        @Override
        public InputStream getResource(String url) throws IOException {
            return Files.newInputStream(getFile(url).toPath());
        }

        @Override
        public File getFile(String fileURL) throws FileNotFoundException {
            if (!fileURL.startsWith("file://")) {
                throw new FileNotFoundException(fileURL);
            }
            return base.resolve(fileURL.substring("file://".length())).toFile();
        }

        @Override
        public File getBasedir() {
            return base.toFile();
        }
    }

    private static final class SingleDomainList implements DomainList {
        @Override
        public List<Domain> getDomains() {
            return List.of(Domain.of("sender.test"));
        }

        @Override
        public boolean containsDomain(Domain domain) {
            return domain.equals(Domain.of("sender.test"));
        }

        @Override
        public void addDomain(Domain domain) throws DomainListException {
            throw new DomainListException("read-only test domain list");
        }

        @Override
        public void removeDomain(Domain domain) throws DomainListException {
            throw new DomainListException("read-only test domain list");
        }

        @Override
        public Domain getDefaultDomain() {
            return Domain.of("sender.test");
        }
    }
}
