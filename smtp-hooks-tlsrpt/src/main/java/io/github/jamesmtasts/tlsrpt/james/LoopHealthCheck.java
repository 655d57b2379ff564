package io.github.jamesmtasts.tlsrpt.james;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.health.LoopStatus;

/**
 * A background loop's liveness as a James health check (WebAdmin {@code GET /healthcheck}, design H1): unhealthy when
 * the loop stopped or no run completed within its bound, degraded when its last run skipped items. A loop that is not
 * configured (e.g. no report mailet, refresh disabled) has nothing to be unhealthy about and reports healthy.
 * James builds health checks by class name ({@code healthcheck.properties}), so each loop has a small subclass that
 * only names its loop.
 */
public class LoopHealthCheck implements HealthCheck {

    private final ComponentName componentName;
    private final Supplier<Optional<LoopLiveness>> liveness;

    /** @param liveness asked at each check: the loop may start after the check is bound */
    public LoopHealthCheck(String name, Supplier<Optional<LoopLiveness>> liveness) {
        this.componentName = new ComponentName(name);
        this.liveness = Objects.requireNonNull(liveness);
    }

    @Override
    public final ComponentName componentName() {
        return componentName;
    }

    @Override
    public final Publisher<Result> check() {
        return Mono.fromCallable(this::result);
    }

    Result result() {
        Optional<LoopLiveness> loop = liveness.get();
        if (loop.isEmpty()) {
            return Result.healthy(componentName);
        }
        LoopStatus status = loop.get().status();
        switch (status.kind()) {
            case UNHEALTHY:
                return Result.unhealthy(componentName, status.reason().orElse("unhealthy"));
            case DEGRADED:
                return Result.degraded(componentName, status.reason().orElse("degraded"));
            case HEALTHY:
            default:
                return Result.healthy(componentName);
        }
    }
}
