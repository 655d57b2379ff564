package io.github.jamesmtasts.mtasts.resolve;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.fetch.PolicyFetcher;
import io.github.jamesmtasts.mtasts.policy.StsPolicyParseResult;
import io.github.jamesmtasts.mtasts.policy.StsPolicyParser;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * A {@link PolicyFetcher} serving policy texts the test set (a fetch error for unknown domains); counts fetches and
 * can hold every fetch at a gate until the test opens it.
 */
public final class FakeFetcher implements PolicyFetcher {

    private final Map<String, FetchOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch entered = new CountDownLatch(1);

    public static String policyText(String mode, long maxAgeSeconds, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String host : mx) {
            text.append("mx: ").append(host).append("\r\n");
        }
        return text.append("max_age: ").append(maxAgeSeconds).append("\r\n").toString();
    }

    public static FetchOutcome success(String text) {
        StsPolicyParseResult parsed = StsPolicyParser.parse(text);
        return FetchOutcome.success(parsed.policy().orElseThrow(() -> new IllegalArgumentException(parsed.toString())),
            text);
    }

    public FakeFetcher serving(String domain, String policyText) {
        outcomes.put(domain, success(policyText));
        return this;
    }

    public FakeFetcher failing(String domain, ResultType type, String message) {
        outcomes.put(domain, FetchOutcome.failure(type, message));
        return this;
    }

    /** Holds every fetch until {@link #open()}. */
    public FakeFetcher closed() {
        gate = new CountDownLatch(1);
        return this;
    }

    public void open() {
        gate.countDown();
    }

    /** Waits until a fetch has started (and is held at the gate). */
    public boolean awaitEntered(long seconds) throws InterruptedException {
        return entered.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public FetchOutcome fetch(DomainName name) {
        String domain = name.asString();
        fetches.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
        entered.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the fetch gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return outcomes.getOrDefault(domain, FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR,
            "no policy served for " + domain));
    }

    public int fetches(String domain) {
        AtomicInteger count = fetches.get(domain);
        return count == null ? 0 : count.get();
    }
}
