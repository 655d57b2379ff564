package io.github.jamesmtasts.mtasts.james.webadmin;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneTokens;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * JSON of {@code GET /mta-sts/dane/{domain}}: what DANE (RFC 7672 2.2) says about a recipient domain, as deliveries
 * see it: the domain's state ({@code secure}, {@code not-applicable}, {@code unusable}), and for a secure MX RRset
 * every MX host in preference order with its state and TLSA RRset (presentation form, as TLS-RPT reports it).
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({"domain", "status", "reason", "failure", "mx"})
public final class DaneDomainDto {

    /** One MX host of a secure MX RRset. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonPropertyOrder({"host", "state", "tlsaBase", "tlsa", "usableTlsa", "failure", "reason"})
    public static final class MxDto {
        private final MxDane host;

        MxDto(MxDane host) {
            this.host = host;
        }

        public String getHost() {
            return host.mxHost().asString();
        }

        /** {@code authenticate}, {@code encrypt-only}, {@code not-applicable} or {@code unusable}. */
        public String getState() {
            return DaneTokens.token(host.kind());
        }

        /** The name the TLSA records were found under when it is not the host itself (a secure CNAME target). */
        public Optional<String> getTlsaBase() {
            return host.tlsaBase().equals(host.mxHost()) ? Optional.empty() : Optional.of(host.tlsaBase().asString());
        }

        /** The whole secure TLSA RRset, e.g. {@code 3 1 1 <hex>}; absent when there is none. */
        public Optional<List<String>> getTlsa() {
            return host.records().isEmpty() ? Optional.empty() : Optional.of(presentation(host.records()));
        }

        /** How many of them are usable for SMTP (RFC 7672 3.1: DANE-TA(2), DANE-EE(3), known selector and type). */
        public Optional<Integer> getUsableTlsa() {
            return host.records().isEmpty() ? Optional.empty() : Optional.of(host.usableRecords().size());
        }

        /** For {@code unusable}: the RFC 8460 result type deliveries record. */
        public Optional<String> getFailure() {
            return host.failure().map(ResultType::token);
        }

        public String getReason() {
            return host.reason();
        }
    }

    private final DaneDomain dane;

    DaneDomainDto(DaneDomain dane) {
        this.dane = dane;
    }

    public String getDomain() {
        return dane.domain().asString();
    }

    /** {@code secure}, {@code not-applicable} or {@code unusable}. */
    public String getStatus() {
        return DaneTokens.token(dane.kind());
    }

    public String getReason() {
        return dane.reason();
    }

    /** For {@code unusable}: the RFC 8460 result type deliveries record (normally {@code dnssec-invalid}). */
    public Optional<String> getFailure() {
        return dane.failure().map(ResultType::token);
    }

    /** For {@code secure}: every host of the validated MX RRset, in preference order. */
    public Optional<List<MxDto>> getMx() {
        if (dane.kind() != DaneDomain.Kind.SECURE) {
            return Optional.empty();
        }
        return Optional.of(dane.hosts().values().stream().map(MxDto::new).collect(Collectors.toList()));
    }

    private static List<String> presentation(List<TlsaRecord> records) {
        return records.stream().map(TlsaRecord::presentation).collect(Collectors.toList());
    }
}
