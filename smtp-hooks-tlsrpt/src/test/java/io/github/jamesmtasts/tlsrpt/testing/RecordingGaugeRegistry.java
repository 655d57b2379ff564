package io.github.jamesmtasts.tlsrpt.testing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.james.metrics.api.Gauge;
import org.apache.james.metrics.api.GaugeRegistry;

/** A James {@link GaugeRegistry} that keeps the gauges so that a test can read them by name. */
public final class RecordingGaugeRegistry implements GaugeRegistry {

    private final Map<String, Supplier<?>> gauges = new ConcurrentHashMap<>();

    @Override
    public <T> GaugeRegistry register(String name, Gauge<T> gauge) {
        gauges.put(name, gauge);
        return this;
    }

    @Override
    public <T> SettableGauge<T> settableGauge(String name) {
        ConcurrentHashMap<String, T> value = new ConcurrentHashMap<>();
        gauges.put(name, () -> value.get(name));
        return v -> value.put(name, v);
    }

    /** The gauge's value now, as a number; empty when no gauge of that name was registered. */
    public Optional<Long> value(String name) {
        return Optional.ofNullable(gauges.get(name)).map(gauge -> ((Number) gauge.get()).longValue());
    }
}
