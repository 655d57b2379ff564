package io.github.jamesmtasts.mtasts.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;

import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;

/**
 * Measures the heap the warm cache needs per cached policy (target: at most 1 KiB), by filling it with 100,000
 * realistic policies and comparing used heap after full collections. A program, not a unit test: heap figures depend
 * on the JVM and its flags. Run with the test class path, e.g.
 * {@code java -cp <test classpath> io.github.jamesmtasts.mtasts.bench.PolicyCacheHeap [count]}.
 */
public final class PolicyCacheHeap {

    private PolicyCacheHeap() {
    }

    public static void main(String[] args) throws InterruptedException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        DefaultPolicyResolver resolver = BenchPolicies.resolver(Clock.systemUTC());
        BenchPolicies.fill(resolver, 1_000);
        long before = usedAfterGc();
        BenchPolicies.fill(resolver, count + 1_000);
        long after = usedAfterGc();
        long perPolicy = (after - before) / count;
        System.out.printf("cached policies: %d%nheap used before: %d bytes%nheap used after: %d bytes%n"
            + "per cached policy: %d bytes (target <= 1024)%n", resolver.cachedPolicies().size(), before, after,
            perPolicy);
        // Keeps the resolver reachable until both measurements are taken.
        if (resolver.cachedPolicies().isEmpty()) {
            throw new IllegalStateException("nothing cached");
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
