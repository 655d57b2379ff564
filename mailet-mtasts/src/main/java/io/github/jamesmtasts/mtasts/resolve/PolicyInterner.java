package io.github.jamesmtasts.mtasts.resolve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;

/**
 * Shares the parts that many cached policies have in common ({@code version: STSv1}, {@code mode: enforce}, usual
 * {@code max_age} lines and values, hosted-mail mx patterns such as {@code *.mail.protection.outlook.com}), so that a
 * warm cache of 100,000 policies stays within about 1 KiB each. Bounded: once {@link #MAX_PARTS} distinct parts are
 * known, new ones are no longer remembered (the parts seen first, the common ones, stay shared).
 */
final class PolicyInterner {

    static final int MAX_PARTS = 4096;

    private final ConcurrentHashMap<Object, Object> parts = new ConcurrentHashMap<>();

    /** An equal policy built from shared parts. */
    StsPolicy share(StsPolicy policy) {
        List<MxPattern> mx = new ArrayList<>(policy.mx().size());
        for (MxPattern pattern : policy.mx()) {
            mx.add(part(pattern));
        }
        List<String> lines = new ArrayList<>(policy.lines().size());
        for (String line : policy.lines()) {
            lines.add(part(line));
        }
        return StsPolicy.of(policy.mode(), part(policy.maxAge()), mx, lines);
    }

    @SuppressWarnings("unchecked")
    private <T> T part(T value) {
        Object known = parts.get(value);
        if (known != null) {
            return (T) known;
        }
        if (parts.size() >= MAX_PARTS) {
            return value;
        }
        Object raced = parts.putIfAbsent(value, value);
        return raced == null ? value : (T) raced;
    }
}
