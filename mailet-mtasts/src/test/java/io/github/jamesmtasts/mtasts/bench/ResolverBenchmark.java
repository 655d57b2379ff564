package io.github.jamesmtasts.mtasts.bench;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Warm-cache decision throughput and latency of {@link DefaultPolicyResolver#resolve} on one thread: every domain
 * is cached and its TXT check is not due, so each call is a pure in-memory decision (targets: at least 1,000,000
 * decisions per second, p99 under 10 us). Run with
 * {@code ./mvnw -B -o -Pbench -pl mailet-mtasts -am test-compile exec:exec -Djmh.args="ResolverBenchmark ..."}.
 */
@State(Scope.Thread)
@Threads(1)
public class ResolverBenchmark {

    @Param({"10000"})
    public int domains;

    private DefaultPolicyResolver resolver;
    private DomainName[] names;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        resolver = BenchPolicies.resolver(Clock.systemUTC());
        BenchPolicies.fill(resolver, domains);
        names = new DomainName[domains];
        for (int i = 0; i < domains; i++) {
            names[i] = name(BenchPolicies.domain(i));
        }
        if (resolver.resolve(names[0]).kind() != PolicyDecision.Kind.POLICY) {
            throw new IllegalStateException("the benchmark cache is not warm");
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public PolicyDecision warmDecisionThroughput() {
        return resolveNext();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public PolicyDecision warmDecisionLatency() {
        return resolveNext();
    }

    private PolicyDecision resolveNext() {
        int i = next;
        next = i + 1 == names.length ? 0 : i + 1;
        return resolver.resolve(names[i]);
    }
}
