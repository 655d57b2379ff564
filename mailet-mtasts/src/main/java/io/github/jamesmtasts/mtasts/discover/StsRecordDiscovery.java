package io.github.jamesmtasts.mtasts.discover;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.dns.TxtAnswer;
import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;

/**
 * Looks up and judges a domain's {@code _mta-sts} TXT record (RFC 8461 3.1). Callers act on the outcome as follows:
 * VALID compare the id with the cached policy; ABSENT, INVALID and MULTIPLE mean "no STS record" (which does not
 * remove a cached policy); DNS_ERROR is temporary and must never be treated as "no policy".
 */
public final class StsRecordDiscovery {

    static final String PREFIX = "_mta-sts.";

    private final TxtResolver resolver;

    public StsRecordDiscovery(TxtResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** @param domain the policy domain (the recipient domain), with or without a trailing dot */
    public StsRecordOutcome discover(String domain) {
        Optional<String> normalized = PolicyDomain.normalize(domain);
        if (normalized.isEmpty()) {
            // Not a host name (IP literal, garbage): no _mta-sts record can exist for it.
            return StsRecordOutcome.absent();
        }
        String name = PREFIX + normalized.get();
        TxtAnswer answer = resolver.lookup(name);
        switch (answer.kind()) {
            case NOT_FOUND:
                return StsRecordOutcome.absent();
            case TEMPORARY_FAILURE:
                // RFC 8461 3.1: a lookup failure is not an absent record; the caller keeps or retries, never drops.
                return StsRecordOutcome.dnsError("TXT lookup of " + name + " failed temporarily: "
                    + answer.failureReason().orElse("no reason given") + "; will retry");
            case FOUND:
            default:
                return judge(name, answer);
        }
    }

    private static StsRecordOutcome judge(String name, TxtAnswer answer) {
        // RFC 8461 3.1: records that do not begin with "v=STSv1" are discarded; exactly one must remain.
        List<String> sts = new ArrayList<>();
        for (String record : answer.records()) {
            if (StsRecordParser.isStsRecord(record)) {
                sts.add(record);
            }
        }
        if (sts.isEmpty()) {
            return StsRecordOutcome.absent();
        }
        if (sts.size() > 1) {
            return StsRecordOutcome.multiple();
        }
        StsRecordParseResult parsed = StsRecordParser.parse(sts.get(0));
        if (parsed.kind() != StsRecordParseResult.Kind.VALID) {
            return StsRecordOutcome.invalid("TXT record " + name + " is not a valid MTA-STS record: "
                + parsed.reason().orElse("malformed") + "; fix it as RFC 8461 3.1 describes, e.g. 'v=STSv1; id=20240101T000000'");
        }
        return StsRecordOutcome.valid(parsed.record().get(), answer.ttl().orElseThrow());
    }
}
