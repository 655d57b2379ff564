package io.github.jamesmtasts.tlsrpt.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The one TXT record pipeline of both RFCs: DNS answer (strings already joined, at most
 * {@value DnsJavaTxtResolver#MAX_RECORDS} records) -> records of the type (by version prefix) -> exactly one ->
 * the type's own syntax -> one {@link TxtRecordOutcome}. RFC 8461 3.1 and RFC 8460 3 say the same: join a record's
 * strings, discard records not starting with the version, exactly one must remain.
 *
 * @param <R> the parsed record
 */
public final class TxtRecordLookup<R> {

    private final TxtResolver resolver;
    private final TxtRecordType<R> type;

    public TxtRecordLookup(TxtResolver resolver, TxtRecordType<R> type) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * @return VALID with the record and the answer's TTL; ABSENT (no record of the type); INVALID or MULTIPLE (the
     *     domain must fix its DNS; RFC 8461 3.1 and RFC 8460 3 treat both as no record); DNS_ERROR (temporary)
     */
    public TxtRecordOutcome<R> lookup(DomainName domain) {
        Optional<DomainName> owner = domain.prefixed(type.ownerPrefix());
        if (owner.isEmpty()) {
            // The owner name would be longer than DNS allows (RFC 1035 2.3.4): no record can exist there.
            return TxtRecordOutcome.absent();
        }
        String name = owner.get().asString();
        TxtAnswer answer = resolver.lookup(owner.get());
        switch (answer.kind()) {
            case NOT_FOUND:
                return TxtRecordOutcome.absent();
            case TEMPORARY_FAILURE:
                // RFC 8461 3.1: a lookup failure is not an absent record; the caller keeps or retries, never drops.
                return TxtRecordOutcome.dnsError("TXT lookup of " + name + " failed temporarily: "
                    + answer.failureReason().orElse("no reason given") + "; will retry");
            case FOUND:
            default:
                return select(name, answer);
        }
    }

    private TxtRecordOutcome<R> select(String name, TxtAnswer answer) {
        List<String> candidates = new ArrayList<>();
        for (String record : answer.records()) {
            if (type.isOfType(record)) {
                candidates.add(record);
            }
        }
        if (candidates.isEmpty()) {
            return TxtRecordOutcome.absent();
        }
        if (candidates.size() > 1) {
            return TxtRecordOutcome.multiple(name + " has " + candidates.size() + " TXT records starting with "
                + type.version() + "; publish exactly one");
        }
        TxtRecordOutcome<R> parsed = type.parse(candidates.get(0));
        if (parsed.kind() != TxtRecordOutcome.Kind.VALID) {
            return TxtRecordOutcome.invalid("TXT record " + name + " is not a valid " + type.version() + " record: "
                + parsed.reason().orElse("malformed") + "; " + type.fix());
        }
        return TxtRecordOutcome.valid(parsed.record().get(), answer.ttl().orElseThrow());
    }
}
