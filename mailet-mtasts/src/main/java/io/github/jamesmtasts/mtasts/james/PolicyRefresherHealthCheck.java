package io.github.jamesmtasts.mtasts.james;

import javax.inject.Inject;

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
public class PolicyRefresherHealthCheck extends LoopHealthCheck {

    @Inject
    public PolicyRefresherHealthCheck(MtaStsResources resources) {
        super(PolicyRefresher.LOOP_NAME, resources::refresherLiveness);
    }
}
