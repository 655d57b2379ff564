package io.github.jamesmtasts.mtasts.cli;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.classify.Classification;

/** What {@link SmtpTlsProbe} learned from one MX address. Immutable. */
public final class ProbeResult {

    public enum Kind {
        /** No SMTP session: connection refused or timed out, or the server did not greet with 220. */
        UNREACHABLE,
        /** The SMTP session ran, but STARTTLS was not offered or was refused (RFC 8460 {@code starttls-not-supported}). */
        NO_STARTTLS,
        /** STARTTLS was accepted but the TLS handshake or the certificate check failed. */
        TLS_FAILED,
        /** TLS 1.2+ with a certificate that chains to a trusted root, is valid now and names the MX host. */
        TLS_OK
    }

    private final Kind kind;
    private final String address;
    private final Optional<Boolean> startTlsOffered;
    private final Optional<String> tlsVersion;
    private final Optional<Classification> failure;
    private final Optional<String> detail;
    private final Optional<Boolean> tlsaMatch;

    private ProbeResult(Kind kind, String address, Optional<Boolean> startTlsOffered, Optional<String> tlsVersion,
                        Optional<Classification> failure, Optional<String> detail) {
        this(kind, address, startTlsOffered, tlsVersion, failure, detail, Optional.empty());
    }

    private ProbeResult(Kind kind, String address, Optional<Boolean> startTlsOffered, Optional<String> tlsVersion,
                        Optional<Classification> failure, Optional<String> detail, Optional<Boolean> tlsaMatch) {
        this.kind = kind;
        this.address = Objects.requireNonNull(address);
        this.startTlsOffered = startTlsOffered;
        this.tlsVersion = tlsVersion;
        this.failure = failure;
        this.detail = detail;
        this.tlsaMatch = Objects.requireNonNull(tlsaMatch);
    }

    /** This result with the verdict of the DANE certificate match (RFC 7672 3.1) of a DANE-authenticated handshake. */
    public ProbeResult withTlsaMatch(boolean matched) {
        return new ProbeResult(kind, address, startTlsOffered, tlsVersion, failure, detail, Optional.of(matched));
    }

    /** @param startTlsOffered known when the EHLO reply was read before things went wrong */
    public static ProbeResult unreachable(String address, Optional<Boolean> startTlsOffered, String detail) {
        return new ProbeResult(Kind.UNREACHABLE, address, startTlsOffered, Optional.empty(), Optional.empty(),
            Optional.of(detail));
    }

    public static ProbeResult noStartTls(String address, Classification failure, String detail) {
        return new ProbeResult(Kind.NO_STARTTLS, address, Optional.of(false), Optional.empty(), Optional.of(failure),
            Optional.of(detail));
    }

    public static ProbeResult tlsFailed(String address, Classification failure, String detail) {
        return new ProbeResult(Kind.TLS_FAILED, address, Optional.of(true), Optional.empty(), Optional.of(failure),
            Optional.of(detail));
    }

    public static ProbeResult tlsOk(String address, String tlsVersion) {
        return new ProbeResult(Kind.TLS_OK, address, Optional.of(true), Optional.of(tlsVersion), Optional.empty(),
            Optional.empty());
    }

    public Kind kind() {
        return kind;
    }

    /** The IP address probed, as text. */
    public String address() {
        return address;
    }

    public Optional<Boolean> startTlsOffered() {
        return startTlsOffered;
    }

    /** The negotiated protocol, e.g. {@code TLSv1.3}, when the handshake succeeded. */
    public Optional<String> tlsVersion() {
        return tlsVersion;
    }

    /** The RFC 8460 result type and reason code, for NO_STARTTLS and TLS_FAILED. */
    public Optional<Classification> failure() {
        return failure;
    }

    /**
     * Whether the presented certificate matched one of the host's usable TLSA records; empty unless the handshake ran
     * under DANE authentication and got as far as the certificate.
     */
    public Optional<Boolean> tlsaMatch() {
        return tlsaMatch;
    }

    /** What went wrong, for people. */
    public Optional<String> detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProbeResult)) {
            return false;
        }
        ProbeResult that = (ProbeResult) o;
        return kind == that.kind && address.equals(that.address) && startTlsOffered.equals(that.startTlsOffered)
            && tlsVersion.equals(that.tlsVersion) && failure.equals(that.failure) && detail.equals(that.detail)
            && tlsaMatch.equals(that.tlsaMatch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, address, startTlsOffered, tlsVersion, failure, detail, tlsaMatch);
    }

    @Override
    public String toString() {
        return "ProbeResult{" + kind + " " + address + tlsVersion.map(v -> " " + v).orElse("")
            + failure.map(f -> " " + f).orElse("") + detail.map(d -> " (" + d + ")").orElse("") + "}";
    }
}
