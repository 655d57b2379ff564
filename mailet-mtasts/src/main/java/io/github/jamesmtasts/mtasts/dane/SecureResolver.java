package io.github.jamesmtasts.mtasts.dane;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNSSEC-validated queries (RFC 4035 5) with dnsjava's {@code ValidatingResolver} over the configured upstream
 * resolvers, which must pass DNSSEC records (DO bit, CD bit) through; answers are cached in a
 * {@link SecureAnswerCache}. Every query is bounded by the query timeout; DNS trouble becomes a bogus or
 * indeterminate {@link SecureAnswer}, never an exception.
 */
final class SecureResolver {

    private final ValidatingResolver validator;
    private final SecureAnswerCache cache;
    private final Duration queryTimeout;

    private SecureResolver(ValidatingResolver validator, SecureAnswerCache cache, Duration queryTimeout) {
        this.validator = validator;
        this.cache = cache;
        this.queryTimeout = queryTimeout;
    }

    /**
     * @param upstreams recursive resolvers (at least one), tried in order
     * @param clock what signatures are checked against (RFC 4035 5.3.1) and cache entries expire by
     */
    static SecureResolver over(List<InetSocketAddress> upstreams, DnssecTrustAnchors anchors, Duration queryTimeout,
                               Clock clock, SecureAnswerCache cache) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("no upstream resolver for DNSSEC lookups");
        }
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress upstream : upstreams) {
            SimpleResolver resolver = new SimpleResolver(upstream);
            resolver.setTimeout(queryTimeout);
            resolvers.add(resolver);
        }
        Resolver head;
        if (resolvers.size() == 1) {
            head = resolvers.get(0);
        } else {
            ExtendedResolver extended = new ExtendedResolver(resolvers);
            extended.setTimeout(queryTimeout);
            extended.setRetries(1);
            head = extended;
        }
        ValidatingResolver validator = new ValidatingResolver(head, clock);
        anchors.loadInto(validator);
        validator.setTimeout(queryTimeout);
        return new SecureResolver(validator, cache, queryTimeout);
    }

    /**
     * The validated answer for {@code name}/{@code type}, from the cache or the network. Completes within about
     * four query timeouts (the validator's own DS and DNSKEY queries included); never completes exceptionally.
     */
    CompletableFuture<SecureAnswer> query(Name name, int type) {
        java.util.Optional<SecureAnswer> cached = cache.get(name, type);
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(cached.get());
        }
        CompletableFuture<SecureAnswer> answer;
        try {
            Message question = Message.newQuery(Record.newRecord(name, type, DClass.IN));
            answer = validator.sendAsync(question).toCompletableFuture()
                .thenApply(validated -> SecureAnswer.of(name, type, validated));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // the validator chases DS and DNSKEY records with more queries: its whole work gets a bound too
        return answer.orTimeout(queryTimeout.toMillis() * 4, TimeUnit.MILLISECONDS)
            .exceptionally(failure -> SecureAnswer.failed(name, type, DnssecStatus.INDETERMINATE, describe(failure)))
            .thenApply(result -> {
                cache.put(result);
                return result;
            });
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (cause instanceof TimeoutException || cause instanceof java.net.SocketTimeoutException) {
            return "no answer in time";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    Duration queryTimeout() {
        return queryTimeout;
    }

    @Override
    public String toString() {
        return "SecureResolver{timeout " + Objects.toString(queryTimeout) + "}";
    }
}
