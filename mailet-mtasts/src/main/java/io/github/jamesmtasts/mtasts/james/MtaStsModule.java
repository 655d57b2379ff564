package io.github.jamesmtasts.mtasts.james;

import java.util.Optional;

import javax.inject.Singleton;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.ProvidesIntoSet;

import org.apache.james.core.healthcheck.HealthCheck;

import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.PolicyRefresher;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.james.LoopHealthCheck;
import io.github.jamesmtasts.tlsrpt.james.TlsRptReportMailet;
import io.github.jamesmtasts.tlsrpt.james.TlsRptReportService;
import io.github.jamesmtasts.tlsrpt.recorder.BatchingTlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;

/**
 * Guice bindings for James ({@code conf/extensions.properties}:
 * {@code guice.extension.module=io.github.jamesmtasts.mtasts.james.MtaStsModule}): the MTA-STS policy resolver and
 * the TLS-RPT recorder and store, as singletons shared by {@link MtaStsRemoteDelivery}, the report mailet and the
 * WebAdmin routes. Configuration: {@code conf/mta-sts.properties}, see {@link MtaStsResources}.
 *
 * <p>Also adds the liveness of the background loops to James's health checks (WebAdmin {@code GET /healthcheck},
 * design H1): {@code mtasts-policy-refresher}, {@code tlsrpt-recorder-writer}, {@code tlsrpt-report-scheduler}.
 */
public class MtaStsModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(MtaStsResources.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    DefaultPolicyResolver defaultPolicyResolver(MtaStsResources resources) {
        return resources.resolver();
    }

    @Provides
    @Singleton
    PolicyResolver policyResolver(MtaStsResources resources) {
        return resources.resolver();
    }

    @Provides
    @Singleton
    TlsRptRecorder tlsRptRecorder(MtaStsResources resources) {
        return resources.tlsRpt().recorder();
    }

    @Provides
    @Singleton
    ResultStore resultStore(MtaStsResources resources) {
        return resources.tlsRpt().store();
    }

    @ProvidesIntoSet
    HealthCheck policyRefresherHealthCheck(MtaStsResources resources) {
        return LoopHealthCheck.of(PolicyRefresher.LOOP_NAME, resources::refresherLiveness);
    }

    @ProvidesIntoSet
    HealthCheck recorderWriterHealthCheck(MtaStsResources resources) {
        return LoopHealthCheck.of(BatchingTlsRptRecorder.LOOP_NAME, () -> Optional.of(resources.recorderLiveness()));
    }

    /** The report mailet is not a Guice singleton: its loop reports through the {@link TlsRptReportService} singleton. */
    @ProvidesIntoSet
    HealthCheck reportSchedulerHealthCheck(TlsRptReportService service) {
        return LoopHealthCheck.of(TlsRptReportMailet.LOOP_NAME, service::liveness);
    }
}
