package io.github.jamesmtasts.mtasts.james;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.dane.DnssecStatus;
import io.github.jamesmtasts.mtasts.dane.SecureAnswer;
import io.github.jamesmtasts.mtasts.dane.ValidatingDaneLookup;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Health check {@code mtasts-dane-validator}: DANE (RFC 7672) needs a resolver path that passes DNSSEC records; when
 * it does not, every DANE domain's mail is deferred ({@code dnssec-invalid}). The validator's self-test
 * ({@link ValidatingDaneLookup#validatorHealth}: the trust anchors' DNSKEY RRsets must validate as secure) is
 * {@code healthy}, else {@code unhealthy} with the answer; {@code healthy} too while no delivery mailet enabled DANE
 * (the lookup is not opened for a health check). Enabled in {@code conf/healthcheck.properties}
 * ({@code additional.healthchecks=...,io.github.jamesmtasts.mtasts.james.DaneValidatorHealthCheck}).
 */
public class DaneValidatorHealthCheck implements HealthCheck {

    public static final ComponentName COMPONENT = new ComponentName("mtasts-dane-validator");
    private static final Logger LOGGER = LoggerFactory.getLogger(DaneValidatorHealthCheck.class);

    private final MtaStsResources resources;

    @Inject
    public DaneValidatorHealthCheck(MtaStsResources resources) {
        this.resources = resources;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        // The self-test makes DNS queries (bounded by dane.lookupDeadline): off the caller's thread.
        return Mono.fromCallable(this::checkNow).subscribeOn(Schedulers.boundedElastic());
    }

    Result checkNow() {
        try {
            return resources.openedDaneLookup().map(this::selfTest)
                .orElseGet(() -> Result.healthy(COMPONENT));
        } catch (RuntimeException e) {
            LOGGER.error("DANE validator self-test failed", e);
            return Result.unhealthy(COMPONENT, "DANE validator self-test failed: " + e);
        }
    }

    private Result selfTest(ValidatingDaneLookup lookup) {
        SecureAnswer answer = lookup.validatorHealth();
        if (answer != null && answer.status() == DnssecStatus.SECURE) {
            return Result.healthy(COMPONENT);
        }
        return Result.unhealthy(COMPONENT, "DNSSEC validation does not work: " + (answer == null ? "no trust anchor"
            : answer.toString()) + "; mail to DANE domains is deferred (docs/dane.md)");
    }
}
