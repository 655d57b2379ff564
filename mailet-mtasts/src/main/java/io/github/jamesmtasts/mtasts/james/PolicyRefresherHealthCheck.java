package io.github.jamesmtasts.mtasts.james;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import io.github.jamesmtasts.mtasts.resolve.PolicyRefresher;
import io.github.jamesmtasts.tlsrpt.james.LoopHealthCheck;

/**
 * Health check {@code mtasts-policy-refresher} (design H1): the daily MTA-STS policy refresh. Enabled in
 * {@code conf/healthcheck.properties}:
 * <pre>
 * additional.healthchecks=io.github.jamesmtasts.mtasts.james.PolicyRefresherHealthCheck,\
 *   io.github.jamesmtasts.mtasts.james.RecorderWriterHealthCheck,\
 *   io.github.jamesmtasts.tlsrpt.james.ReportSchedulerHealthCheck
 * </pre>
 */
public class PolicyRefresherHealthCheck implements HealthCheck {

    private final LoopHealthCheck check;

    @Inject
    public PolicyRefresherHealthCheck(MtaStsResources resources) {
        this.check = LoopHealthCheck.of(PolicyRefresher.LOOP_NAME, resources::refresherLiveness);
    }

    @Override
    public ComponentName componentName() {
        return check.componentName();
    }

    @Override
    public Publisher<Result> check() {
        return check.check();
    }
}
