package io.github.jamesmtasts.mtasts.cli;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** The diagnosis of one MX host of a domain. Immutable. */
public final class MxReport {

    /** The {@code result} token of a session that would succeed (RFC 8460 4.2 counts it as successful). */
    public static final String SUCCESS = "success";

    private final String host;
    private final int preference;
    private final Optional<Boolean> matchesPolicy;
    private final Optional<ProbeResult> probe;
    private final Optional<Classification> failure;
    private final boolean success;
    private final Optional<String> error;
    private final Optional<MxDane> dane;

    private MxReport(String host, int preference, Optional<Boolean> matchesPolicy, Optional<ProbeResult> probe,
                     Optional<Classification> failure, boolean success, Optional<String> error, Optional<MxDane> dane) {
        this.host = Objects.requireNonNull(host);
        this.preference = preference;
        this.matchesPolicy = matchesPolicy;
        this.probe = probe;
        this.failure = failure;
        this.success = success;
        this.error = error;
        this.dane = Objects.requireNonNull(dane);
    }

    /**
     * @param matchesPolicy empty when the domain has no policy with mx patterns
     * @param probe empty when the host was not probed (no address)
     * @param failure the RFC 8460 result a session would be recorded with; empty with {@code success} false means no
     *     session result at all (host unreachable, or refused before connecting)
     * @param error why the host is not usable, for people
     */
    public static MxReport of(String host, int preference, Optional<Boolean> matchesPolicy, Optional<ProbeResult> probe,
                              Optional<Classification> failure, boolean success, Optional<String> error) {
        if (success && failure.isPresent()) {
            throw new IllegalArgumentException("a session cannot both succeed and fail: " + failure.get());
        }
        return new MxReport(host, preference, matchesPolicy, probe, failure, success, error, Optional.empty());
    }

    /** This report with the host's DANE state (RFC 7672 2.2), as the check's DANE lookup found it. */
    public MxReport withDane(MxDane state) {
        return new MxReport(host, preference, matchesPolicy, probe, failure, success, error, Optional.of(state));
    }

    public String host() {
        return host;
    }

    public int preference() {
        return preference;
    }

    public Optional<Boolean> matchesPolicy() {
        return matchesPolicy;
    }

    public Optional<ProbeResult> probe() {
        return probe;
    }

    public Optional<String> address() {
        return probe.map(ProbeResult::address);
    }

    public Optional<Boolean> startTls() {
        return probe.flatMap(ProbeResult::startTlsOffered);
    }

    public Optional<String> tlsVersion() {
        return probe.flatMap(ProbeResult::tlsVersion);
    }

    /**
     * The certificate verdict: {@code valid}, or the certificate result type of RFC 8460 4.3.1
     * ({@code certificate-host-mismatch}, {@code certificate-expired}, {@code certificate-not-trusted}); empty when the
     * certificate was not seen or the handshake failed for another reason.
     */
    public Optional<String> certificate() {
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        ProbeResult p = probe.get();
        if (p.kind() == ProbeResult.Kind.TLS_OK) {
            return Optional.of("valid");
        }
        return p.failure().map(Classification::resultType).filter(MxReport::isCertificateResult).map(ResultType::token);
    }

    private static boolean isCertificateResult(ResultType type) {
        return type == ResultType.CERTIFICATE_HOST_MISMATCH || type == ResultType.CERTIFICATE_EXPIRED
            || type == ResultType.CERTIFICATE_NOT_TRUSTED;
    }

    /** {@code success}, an RFC 8460 result type token, or empty when no session result would be recorded. */
    public Optional<String> result() {
        return success ? Optional.of(SUCCESS) : failure.map(f -> f.resultType().token());
    }

    public Optional<String> failureReasonCode() {
        return failure.flatMap(Classification::failureReasonCode);
    }

    public Optional<Classification> failure() {
        return failure;
    }

    public boolean success() {
        return success;
    }

    public Optional<String> error() {
        return error;
    }

    /** The host's DANE state; empty when the check ran without DANE ({@code --dane} not given). */
    public Optional<MxDane> dane() {
        return dane;
    }

    /** Whether DANE decides this host (RFC 8461 2: DANE first where it applies, MTA-STS otherwise). */
    public boolean underDane() {
        return dane.filter(d -> d.kind() != MxDane.Kind.NOT_APPLICABLE).isPresent();
    }

    /**
     * Whether the certificate the host presented matches one of its usable TLSA records (RFC 7672 3.1); empty when
     * the host is not under DANE-authentication or no certificate was seen.
     */
    public Optional<Boolean> tlsaMatch() {
        return probe.flatMap(ProbeResult::tlsaMatch);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MxReport)) {
            return false;
        }
        MxReport that = (MxReport) o;
        return preference == that.preference && success == that.success && host.equals(that.host)
            && matchesPolicy.equals(that.matchesPolicy) && probe.equals(that.probe) && failure.equals(that.failure)
            && error.equals(that.error) && dane.equals(that.dane);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, preference, matchesPolicy, probe, failure, success, error, dane);
    }

    @Override
    public String toString() {
        return "MxReport{" + preference + " " + host + " result=" + result().orElse("-") + error.map(e -> " " + e).orElse("")
            + dane.map(d -> " dane=" + d.kind()).orElse("") + "}";
    }
}
