package io.github.jamesmtasts.mtasts.james;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.jamesmtasts.mtasts.dane.DaneLookup;

/**
 * Where a delivery mailet gets the process-wide DNSSEC-validating {@link DaneLookup} from: asked only by a mailet
 * that enables DANE ({@code mtasts.dane}, {@code mtasts.daneOverrides}), so that James without DANE never opens it.
 */
public final class DaneLookups {

    private final Supplier<Optional<DaneLookup>> source;

    private DaneLookups(Supplier<Optional<DaneLookup>> source) {
        this.source = Objects.requireNonNull(source);
    }

    /** No validating lookup: a mailet enabling DANE refuses to start. */
    public static DaneLookups none() {
        return new DaneLookups(Optional::empty);
    }

    /** @param source opens (once) and hands out the shared lookup; empty when none can be built */
    public static DaneLookups of(Supplier<Optional<DaneLookup>> source) {
        return new DaneLookups(source);
    }

    Optional<DaneLookup> get() {
        return source.get();
    }
}
