package io.github.jamesmtasts.mtasts.resolve;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.cache.PolicyStore;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.store.StoreException;

/** What the resolver tells its listener (metrics), and how it survives a failing store. */
class ResolverEventsTest {

    static final DomainName D = name("example.test");

    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeRecordLookup dns = new FakeRecordLookup().withId(D.asString(), "id1");
    final FakeFetcher https = new FakeFetcher().serving(D.asString(), FakeFetcher.policyText("enforce", 86_400, "mx.example.test"));
    final List<String> events = new CopyOnWriteArrayList<>();
    final ResolverListener listener = new ResolverListener() {
        @Override
        public void cacheHit(String domain) {
            events.add("hit " + domain);
        }

        @Override
        public void lookupOutcome(String domain, TxtRecordOutcome.Kind kind) {
            events.add("lookup " + domain + " " + kind);
        }

        @Override
        public void policyFetched(String domain, Mode mode) {
            events.add("fetched " + domain + " " + mode.token());
        }

        @Override
        public void fetchFailure(String domain, ResultType type) {
            events.add("fetch failure " + domain + " " + type.token());
        }

        @Override
        public void storeError(String domain, RuntimeException error) {
            events.add("store error " + domain);
        }
    };

    DefaultPolicyResolver start(PolicyStore store) {
        return DefaultPolicyResolver.start(dns, https, store, new CollectingRecorder(), listener,
            ResolverSettings.defaults(), clock);
    }

    @Test
    void listenerShouldHearLookupsFetchesFailuresAndCacheHits() {
        DefaultPolicyResolver resolver = start(new InMemoryPolicyStore());
        resolver.resolve(D);
        resolver.resolve(D);
        dns.withId(D.asString(), "id2");
        https.failing(D.asString(), ResultType.STS_WEBPKI_INVALID, "untrusted");
        resolver.recheck(D);

        assertThat(events).containsExactly("lookup example.test VALID", "fetched example.test enforce",
            "hit example.test", "lookup example.test VALID", "fetch failure example.test sts-webpki-invalid");
    }

    @Test
    void resolverShouldKeepAnsweringFromMemoryWhenTheStoreFails() {
        DefaultPolicyResolver resolver = start(new BrokenStore());

        assertThat(resolver.resolve(D).mode()).isEqualTo(Mode.ENFORCE);
        assertThat(resolver.recheck(D).mode()).isEqualTo(Mode.ENFORCE);
        assertThat(https.fetches(D.asString())).isEqualTo(1);
        assertThat(events).contains("store error example.test");
    }

    /** Starts empty, then fails every read and write, as a database that went away. */
    private static final class BrokenStore implements PolicyStore {
        @Override
        public List<CachedPolicy> loadAll() {
            return List.of();
        }

        @Override
        public Optional<CachedPolicy> load(DomainName domain) {
            throw new StoreException("database error on the test database: connection refused");
        }

        @Override
        public boolean save(CachedPolicy policy) {
            throw new StoreException("database error on the test database: connection refused");
        }

        @Override
        public void markUsed(DomainName domain, Instant when) {
            throw new StoreException("database error on the test database: connection refused");
        }

        @Override
        public boolean delete(DomainName domain) {
            throw new StoreException("database error on the test database: connection refused");
        }

        @Override
        public boolean isDeleted(DomainName domain) {
            throw new StoreException("database error on the test database: connection refused");
        }

        @Override
        public int evict(Instant now, Instant unusedSince) {
            throw new StoreException("database error on the test database: connection refused");
        }
    }
}
