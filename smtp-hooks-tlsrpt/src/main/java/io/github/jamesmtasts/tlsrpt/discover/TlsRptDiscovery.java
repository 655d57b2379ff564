package io.github.jamesmtasts.tlsrpt.discover;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.github.jamesmtasts.tlsrpt.dns.TxtAnswer;
import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;
import io.github.jamesmtasts.tlsrpt.model.DnsNames;

/** Looks up where a policy domain wants its TLS reports: the {@code _smtp._tls.<domain>} TXT record (RFC 8460 3). */
public final class TlsRptDiscovery {

    public static final String PREFIX = "_smtp._tls.";

    private final TxtResolver resolver;

    public TlsRptDiscovery(TxtResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver);
    }

    /**
     * @param policyDomain the recipient domain the report is about; a trailing dot and case are ignored
     * @return VALID with the record; ABSENT (send nothing); INVALID or MULTIPLE (send nothing, the domain must fix its
     *     DNS); DNS_ERROR (temporary: keep the report and look up again later)
     */
    public TlsRptRecordOutcome discover(String policyDomain) {
        String domain = DnsNames.canonical(policyDomain);
        String name = PREFIX + domain;
        TxtAnswer answer = resolver.lookup(name);
        switch (answer.kind()) {
            case NOT_FOUND:
                return TlsRptRecordOutcome.absent();
            case TEMPORARY_FAILURE:
                return TlsRptRecordOutcome.dnsError("TXT lookup of " + name + " failed temporarily: "
                    + answer.failureReason().orElse("no reason given"));
            case FOUND:
            default:
                return fromRecords(name, answer.records());
        }
    }

    private static TlsRptRecordOutcome fromRecords(String name, List<String> records) {
        // RFC 8460 3: records not starting with "v=TLSRPTv1" are discarded; exactly one must remain.
        List<String> candidates = records.stream().filter(TlsRptRecordParser::isTlsRptRecord).collect(Collectors.toList());
        if (candidates.isEmpty()) {
            return TlsRptRecordOutcome.absent();
        }
        if (candidates.size() > 1) {
            return TlsRptRecordOutcome.multiple(name + " has " + candidates.size()
                + " TXT records starting with v=TLSRPTv1; publish exactly one");
        }
        TlsRptRecordOutcome parsed = TlsRptRecordParser.parse(candidates.get(0));
        if (parsed.kind() == TlsRptRecordOutcome.Kind.INVALID) {
            return TlsRptRecordOutcome.invalid("TXT record of " + name + " is invalid: " + parsed.reason().orElse("")
                + " (record: \"" + candidates.get(0) + "\")");
        }
        return parsed;
    }
}
