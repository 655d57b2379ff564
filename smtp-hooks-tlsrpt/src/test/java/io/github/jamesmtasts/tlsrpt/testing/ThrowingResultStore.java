package io.github.jamesmtasts.tlsrpt.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.jamesmtasts.tlsrpt.store.ResultStore;

/**
 * A real {@link ResultStore} whose method {@code method} throws what {@code failure} supplies (an {@link Error} such
 * as {@code StackOverflowError}, or a {@code RuntimeException}) the first {@code times} calls, then works again: the
 * hostile or broken store row that background loops must survive (design H1).
 */
public final class ThrowingResultStore {

    private ThrowingResultStore() {
    }

    public static ResultStore failing(ResultStore delegate, String method, Supplier<? extends Throwable> failure,
                                      int times) {
        Objects.requireNonNull(delegate);
        AtomicInteger left = new AtomicInteger(times);
        return (ResultStore) Proxy.newProxyInstance(ResultStore.class.getClassLoader(), new Class<?>[] {ResultStore.class},
            (proxy, called, args) -> {
                if (called.getName().equals(method) && left.getAndDecrement() > 0) {
                    throw failure.get();
                }
                try {
                    return called.invoke(delegate, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }
}
