package io.github.jamesmtasts.tlsrpt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.dns.TxtAnswer;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

class InMemoryTxtResolverTest {

    @Test
    void lookupShouldAnswerConfiguredRecordsIgnoringCaseAndTrailingDot() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create()
                .withRecords("_mta-sts.Example.test", Duration.ofSeconds(60), "v=STSv1; id=1", "other");

        assertThat(dns.lookup(owner("_MTA-STS.example.test.")))
                .isEqualTo(TxtAnswer.found(List.of("v=STSv1; id=1", "other"), Duration.ofSeconds(60)));
    }

    @Test
    void lookupShouldAnswerNotFoundWhenNameIsUnknown() {
        assertThat(InMemoryTxtResolver.create().lookup(owner("nothing.test"))).isEqualTo(TxtAnswer.notFound());
    }

    @Test
    void lookupShouldAnswerTemporaryFailureWhenConfigured() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create().withTemporaryFailure("a.test", "SERVFAIL");

        assertThat(dns.lookup(owner("a.test"))).isEqualTo(TxtAnswer.temporaryFailure("SERVFAIL"));
    }

    @Test
    void lookupShouldFollowAliasChainsAndSeeLaterChanges() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create()
                .withAlias("a.test", "b.test")
                .withAlias("b.test", "c.test")
                .withRecords("c.test", "first");

        assertThat(dns.lookup(owner("a.test")).records()).containsExactly("first");
        dns.withRecords("c.test", "second");
        assertThat(dns.lookup(owner("a.test")).records()).containsExactly("second");
        dns.withNoRecords("c.test");
        assertThat(dns.lookup(owner("a.test")).kind()).isEqualTo(TxtAnswer.Kind.NOT_FOUND);
    }

    @Test
    void lookupShouldFailTemporarilyWhenAliasesLoop() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create().withAlias("a.test", "b.test").withAlias("b.test", "a.test");

        assertThat(dns.lookup(owner("a.test")).kind()).isEqualTo(TxtAnswer.Kind.TEMPORARY_FAILURE);
    }

    @Test
    void lookupCountShouldCountNormalizedNamesAsAsked() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create().withAlias("a.test", "b.test");

        dns.lookup(owner("A.test."));
        dns.lookup(owner("a.test"));
        dns.lookup(owner("b.test"));

        assertThat(dns.lookupCount("a.test")).isEqualTo(2);
        assertThat(dns.lookupCount("b.test")).isEqualTo(1);
        assertThat(dns.lookups()).containsExactly("a.test", "a.test", "b.test");
    }

    private static DomainName owner(String name) {
        return DomainName.parseOwnerName(name).name().orElseThrow();
    }
}
