package io.github.jamesmtasts.tlsrpt.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;

/**
 * The shared steps of RFC 8461 3.1 and RFC 8460 3 with a toy record type whose syntax accepts only
 * {@code v=TEST1; ok}: the real record types add only their syntax (their own tests).
 */
class TxtRecordLookupTest {

    private static final String NAME = "_test.example.test";
    private static final String GOOD = "v=TEST1; ok";
    private static final TxtRecordType<String> TYPE = TxtRecordType.of("_test", "v=TEST1",
        text -> text.equals(GOOD) ? TxtRecordOutcome.valid("ok") : TxtRecordOutcome.invalid("not ok"),
        "publish 'v=TEST1; ok'");

    static Stream<Arguments> answers() {
        return Stream.of(
            arguments("T 3.1 no TXT record is absent", InMemoryTxtResolver.create(), TxtRecordOutcome.Kind.ABSENT),
            arguments("T 3.1 NODATA is absent", InMemoryTxtResolver.create().withNoRecords(NAME), TxtRecordOutcome.Kind.ABSENT),
            arguments("T 3.1 one valid record", InMemoryTxtResolver.create().withRecords(NAME, GOOD), TxtRecordOutcome.Kind.VALID),
            arguments("T 3.1 foreign records are discarded before counting",
                InMemoryTxtResolver.create().withRecords(NAME, "v=spf1 -all", GOOD, "x"), TxtRecordOutcome.Kind.VALID),
            arguments("T 3.1 only foreign records is absent",
                InMemoryTxtResolver.create().withRecords(NAME, "v=spf1 -all", "V=TEST1; ok"), TxtRecordOutcome.Kind.ABSENT),
            arguments("T 3.1 another version is foreign", InMemoryTxtResolver.create().withRecords(NAME, "v=TEST10; ok"),
                TxtRecordOutcome.Kind.ABSENT),
            arguments("T 3.1 version followed by WSP is ours", InMemoryTxtResolver.create().withRecords(NAME, "v=TEST1 ;x"),
                TxtRecordOutcome.Kind.INVALID),
            arguments("T 3.1 bare version is ours", InMemoryTxtResolver.create().withRecords(NAME, "v=TEST1"),
                TxtRecordOutcome.Kind.INVALID),
            arguments("T 3.1 two records of the type is multiple", InMemoryTxtResolver.create().withRecords(NAME, GOOD, GOOD),
                TxtRecordOutcome.Kind.MULTIPLE),
            arguments("T 3.1 a valid and a malformed record is multiple",
                InMemoryTxtResolver.create().withRecords(NAME, GOOD, "v=TEST1; bad"), TxtRecordOutcome.Kind.MULTIPLE),
            arguments("T 3.1 one malformed record is invalid", InMemoryTxtResolver.create().withRecords(NAME, "v=TEST1; bad"),
                TxtRecordOutcome.Kind.INVALID),
            arguments("T 3.1 temporary failure is not absent",
                InMemoryTxtResolver.create().withTemporaryFailure(NAME, "SERVFAIL"), TxtRecordOutcome.Kind.DNS_ERROR),
            arguments("T 3.1 CNAME is followed", InMemoryTxtResolver.create().withAlias(NAME, "_test.elsewhere.test")
                .withRecords("_test.elsewhere.test", GOOD), TxtRecordOutcome.Kind.VALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void lookupShouldSelectExactlyOneRecordOfTheType(String rule, InMemoryTxtResolver dns, TxtRecordOutcome.Kind expected) {
        assertThat(new TxtRecordLookup<>(dns, TYPE).lookup(domain("example.test")).kind()).isEqualTo(expected);
    }

    @Test
    void validOutcomeShouldCarryTheRecordAndTheTtl() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create().withRecords(NAME, Duration.ofSeconds(300), GOOD);

        assertThat(new TxtRecordLookup<>(dns, TYPE).lookup(domain("Example.TEST.")))
            .isEqualTo(TxtRecordOutcome.valid("ok", Duration.ofSeconds(300)));
        assertThat(dns.lookups()).containsExactly(NAME);
    }

    @Test
    void reasonsShouldNameTheDnsNameAndWhatToFix() {
        TxtRecordLookup<String> invalid = new TxtRecordLookup<>(
            InMemoryTxtResolver.create().withRecords(NAME, "v=TEST1; bad"), TYPE);
        TxtRecordLookup<String> multiple = new TxtRecordLookup<>(
            InMemoryTxtResolver.create().withRecords(NAME, GOOD, "v=TEST1; bad"), TYPE);
        TxtRecordLookup<String> failing = new TxtRecordLookup<>(
            InMemoryTxtResolver.create().withTemporaryFailure(NAME, "SERVFAIL"), TYPE);

        assertThat(invalid.lookup(domain("example.test")).reason()).hasValueSatisfying(r ->
            assertThat(r).contains(NAME, "not ok", "publish 'v=TEST1; ok'"));
        assertThat(multiple.lookup(domain("example.test")).reason()).hasValueSatisfying(r ->
            assertThat(r).contains(NAME, "2 TXT records", "v=TEST1"));
        assertThat(failing.lookup(domain("example.test")).reason()).hasValueSatisfying(r ->
            assertThat(r).contains(NAME, "SERVFAIL"));
    }

    @Test
    void ownerNameLongerThanDnsAllowsShouldBeAbsentWithoutLookup() {
        InMemoryTxtResolver dns = InMemoryTxtResolver.create();
        String longest = "a".repeat(63) + "." + "a".repeat(63) + "." + "a".repeat(63) + "." + "a".repeat(61);

        assertThat(new TxtRecordLookup<>(dns, TYPE).lookup(domain(longest))).isEqualTo(TxtRecordOutcome.absent());
        assertThat(dns.lookups()).isEmpty();
    }

    private static DomainName domain(String text) {
        return DomainName.of(text).orElseThrow();
    }
}
