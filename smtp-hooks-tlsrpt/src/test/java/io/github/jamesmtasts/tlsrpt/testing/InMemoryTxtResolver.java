package io.github.jamesmtasts.tlsrpt.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

import io.github.jamesmtasts.tlsrpt.dns.TxtAnswer;
import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;

/**
 * A {@link TxtResolver} answering from memory, for tests. Names are case-insensitive and a trailing dot is ignored,
 * as in DNS. Configure it fluently and change it while a test runs (it is thread-safe):
 *
 * <pre>
 * InMemoryTxtResolver dns = InMemoryTxtResolver.create()
 *     .withRecords("_mta-sts.example.test", "v=STSv1; id=20240101")
 *     .withTemporaryFailure("_mta-sts.broken.test", "SERVFAIL")
 *     .withAlias("_mta-sts.alias.test", "_mta-sts.example.test");   // CNAME-like
 * dns.withRecords("_mta-sts.example.test", "v=STSv1; id=20240202"); // replaces the records
 * dns.lookupCount("_mta-sts.example.test");                         // how often it was asked
 * </pre>
 *
 * Records are given already joined (as {@link TxtAnswer} holds them). Unknown names answer NOT_FOUND. An alias chain
 * is followed like a CNAME chain; a loop or a chain longer than 8 answers TEMPORARY_FAILURE (as a resolver would
 * SERVFAIL). A name's own records, failure or alias replace whatever it had before.
 */
public final class InMemoryTxtResolver implements TxtResolver {

    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    private static final int MAX_ALIAS_CHAIN = 8;

    private final Map<String, TxtAnswer> answers = new ConcurrentHashMap<>();
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();

    private InMemoryTxtResolver() {
    }

    public static InMemoryTxtResolver create() {
        return new InMemoryTxtResolver();
    }

    /** {@code name} answers these joined records with {@link #DEFAULT_TTL}. */
    public InMemoryTxtResolver withRecords(String name, String... records) {
        return withRecords(name, DEFAULT_TTL, records);
    }

    /** {@code name} answers these joined records with the given TTL. */
    public InMemoryTxtResolver withRecords(String name, Duration ttl, String... records) {
        return put(name, TxtAnswer.found(Arrays.asList(records), ttl));
    }

    /** {@code name} answers NOT_FOUND (the default for unknown names; useful to remove records mid-test). */
    public InMemoryTxtResolver withNoRecords(String name) {
        return put(name, TxtAnswer.notFound());
    }

    /** {@code name} answers TEMPORARY_FAILURE (SERVFAIL, timeout). */
    public InMemoryTxtResolver withTemporaryFailure(String name, String reason) {
        return put(name, TxtAnswer.temporaryFailure(reason));
    }

    /** {@code name} is a CNAME-like alias of {@code target}: lookups of {@code name} answer what {@code target} answers. */
    public InMemoryTxtResolver withAlias(String name, String target) {
        String key = normalize(name);
        answers.remove(key);
        aliases.put(key, normalize(target));
        return this;
    }

    @Override
    public TxtAnswer lookup(DomainName name) {
        String current = normalize(name.asString());
        lookups.add(current);
        Set<String> seen = new HashSet<>();
        while (aliases.containsKey(current)) {
            if (!seen.add(current) || seen.size() > MAX_ALIAS_CHAIN) {
                return TxtAnswer.temporaryFailure("CNAME loop or chain too long at " + current);
            }
            current = aliases.get(current);
        }
        return answers.getOrDefault(current, TxtAnswer.notFound());
    }

    /** How many times {@code name} (as asked, before following aliases) was looked up. */
    public int lookupCount(String name) {
        String key = normalize(name);
        return (int) lookups.stream().filter(key::equals).count();
    }

    /** Every name looked up so far, normalized, in order. */
    public List<String> lookups() {
        return new ArrayList<>(lookups);
    }

    private InMemoryTxtResolver put(String name, TxtAnswer answer) {
        String key = normalize(name);
        aliases.remove(key);
        answers.put(key, answer);
        return this;
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
