package io.github.jamesmtasts.mtasts.cli;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneTokens;
import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;

/**
 * Everything {@code mta-sts check} found out about one domain: the {@code _mta-sts} TXT record, the policy, every MX
 * host in preference order, and the verdict. Immutable; rendered by {@link TextReport} and {@link JsonReport}.
 */
public final class CheckReport {

    /** {@code policy.status} when no policy was fetched because there is no valid TXT record. */
    public static final String POLICY_NONE = "none";

    private final String domain;
    private final TxtRecordOutcome<StsRecord> record;
    private final Optional<FetchOutcome> fetch;
    private final MxLookupResult mxLookup;
    private final List<MxReport> mx;
    private final Optional<DaneDomain> dane;
    private final Verdict verdict;

    private CheckReport(String domain, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch, MxLookupResult mxLookup,
                        List<MxReport> mx, Optional<DaneDomain> dane, Verdict verdict) {
        this.domain = Objects.requireNonNull(domain);
        this.record = Objects.requireNonNull(record);
        this.fetch = Objects.requireNonNull(fetch);
        this.mxLookup = Objects.requireNonNull(mxLookup);
        this.mx = List.copyOf(mx);
        this.dane = Objects.requireNonNull(dane);
        this.verdict = Objects.requireNonNull(verdict);
    }

    /** @param fetch empty when the record was not valid, so no policy was fetched */
    public static CheckReport of(String domain, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch,
                                 MxLookupResult mxLookup, List<MxReport> mx, Verdict verdict) {
        return of(domain, record, fetch, mxLookup, mx, Optional.empty(), verdict);
    }

    /** @param dane what the DANE lookup found (RFC 7672 2.2.1); empty when the check ran without DANE */
    public static CheckReport of(String domain, TxtRecordOutcome<StsRecord> record, Optional<FetchOutcome> fetch,
                                 MxLookupResult mxLookup, List<MxReport> mx, Optional<DaneDomain> dane, Verdict verdict) {
        if (fetch.isPresent() != (record.kind() == TxtRecordOutcome.Kind.VALID)) {
            throw new IllegalArgumentException("a policy is fetched exactly when the TXT record is valid");
        }
        return new CheckReport(domain, record, fetch, mxLookup, mx, dane, verdict);
    }

    public String domain() {
        return domain;
    }

    public TxtRecordOutcome<StsRecord> record() {
        return record;
    }

    /** {@code valid}, {@code absent}, {@code invalid}, {@code multiple} or {@code dns-error}. */
    public String recordStatus() {
        return record.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Optional<String> recordId() {
        return record.record().map(StsRecord::id);
    }

    public Optional<String> recordError() {
        return record.reason();
    }

    /**
     * {@code valid}, {@code none} (not fetched: no valid TXT record), or the RFC 8460 4.3.2 result type of the failed
     * fetch: {@code sts-policy-fetch-error}, {@code sts-policy-invalid}, {@code sts-webpki-invalid}.
     */
    public String policyStatus() {
        if (fetch.isEmpty()) {
            return POLICY_NONE;
        }
        return fetch.get().isSuccess() ? "valid" : fetch.get().failureType().get().token();
    }

    public Optional<StsPolicy> policy() {
        return fetch.flatMap(FetchOutcome::policy);
    }

    public Optional<String> policyError() {
        return fetch.flatMap(FetchOutcome::failureMessage);
    }

    public MxLookupResult mxLookup() {
        return mxLookup;
    }

    /** In MX preference order. */
    public List<MxReport> mx() {
        return mx;
    }

    /** What DANE says about the domain; empty when the check ran without DANE ({@code --dane} not given). */
    public Optional<DaneDomain> dane() {
        return dane;
    }

    /** {@code secure}, {@code not-applicable} or {@code unusable} (RFC 7672 2.2.1); empty without DANE. */
    public Optional<String> daneStatus() {
        return dane.map(d -> DaneTokens.token(d.kind()));
    }

    public Verdict verdict() {
        return verdict;
    }

    public boolean deliverable() {
        return verdict.deliverable();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CheckReport)) {
            return false;
        }
        CheckReport that = (CheckReport) o;
        return domain.equals(that.domain) && record.equals(that.record) && fetch.equals(that.fetch)
            && mxLookup.equals(that.mxLookup) && mx.equals(that.mx) && dane.equals(that.dane)
            && verdict.equals(that.verdict);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, record, fetch, mxLookup, mx, dane, verdict);
    }

    @Override
    public String toString() {
        return "CheckReport{" + domain + " record=" + recordStatus() + " policy=" + policyStatus() + " mx=" + mx + " "
            + verdict + "}";
    }
}
