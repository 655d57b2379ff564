package io.github.jamesmtasts.mtasts.james.webadmin;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.policy.Mode;

/**
 * Filters and pages cached policies for {@code GET /mta-sts/policies}: by mode, by whether the last check or refresh
 * failed, sorted by domain.
 */
final class PolicyListQuery {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Optional<Mode> mode;
    private final Optional<Boolean> failing;
    private final int offset;
    private final int limit;

    PolicyListQuery(Optional<Mode> mode, Optional<Boolean> failing, int offset, int limit) {
        this.mode = Objects.requireNonNull(mode);
        this.failing = Objects.requireNonNull(failing);
        this.offset = offset;
        this.limit = limit;
    }

    boolean matches(CachedPolicy policy) {
        return mode.map(m -> policy.policy().mode() == m).orElse(true)
            && failing.map(f -> policy.lastFailure().isPresent() == f).orElse(true);
    }

    /** The matching policies, sorted by domain. */
    List<CachedPolicy> select(List<CachedPolicy> policies) {
        return policies.stream().filter(this::matches).sorted(Comparator.comparing(p -> p.domain().asString()))
            .collect(Collectors.toList());
    }

    /** The requested page of {@code matching}. */
    List<CachedPolicy> page(List<CachedPolicy> matching) {
        return matching.stream().skip(offset).limit(limit).collect(Collectors.toList());
    }

    int offset() {
        return offset;
    }

    int limit() {
        return limit;
    }
}
