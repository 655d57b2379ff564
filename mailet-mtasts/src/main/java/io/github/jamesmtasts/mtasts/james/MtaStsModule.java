package io.github.jamesmtasts.mtasts.james;

import javax.inject.Singleton;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;

/**
 * Guice bindings for James ({@code conf/extensions.properties}:
 * {@code guice.extension.module=io.github.jamesmtasts.mtasts.james.MtaStsModule}): the MTA-STS policy resolver and
 * the TLS-RPT recorder and store, as singletons shared by {@link MtaStsRemoteDelivery}, the report mailet and the
 * WebAdmin routes. Configuration: {@code conf/mta-sts.properties}, see {@link MtaStsResources}.
 *
 * <p>The liveness of the background loops reaches James's health checks through {@code conf/healthcheck.properties}
 * ({@code additional.healthchecks=}, see {@link PolicyRefresherHealthCheck}), not through a set binding here: James
 * 3.8.1 binds its health check set inside an overridden module, and a second set binder from an extension module
 * makes Guice refuse to start ("Set&lt;HealthCheck&gt; was bound multiple times").
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

    /** Opened on the first ask, by a delivery mailet that enables DANE. */
    @Provides
    @Singleton
    DaneLookups daneLookups(MtaStsResources resources) {
        return DaneLookups.of(resources::daneLookup);
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
}
