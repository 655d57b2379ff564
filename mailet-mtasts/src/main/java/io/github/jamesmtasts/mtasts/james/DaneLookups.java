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
    /** The lookup once a delivery mailet opened it: what the WebAdmin DANE view asks. */
    private volatile Optional<DaneLookup> opened = Optional.empty();

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
        Optional<DaneLookup> lookup = source.get();
        lookup.ifPresent(l -> opened = Optional.of(l));
        return lookup;
    }

    /**
     * The lookup a delivery mailet enabling DANE opened, without opening it: empty while no mailet enabled DANE
     * (the WebAdmin DANE view then says so).
     */
    public Optional<DaneLookup> opened() {
        return opened;
    }
}
