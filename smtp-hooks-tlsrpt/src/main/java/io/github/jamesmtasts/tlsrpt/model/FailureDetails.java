package io.github.jamesmtasts.tlsrpt.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code failure-details} entry of RFC 8460 4.4, without its count: sessions with equal details
 * are aggregated. Optional fields are omitted from reports when empty (never {@code null} or "").
 */
public final class FailureDetails {

    /** An IPv6 address in RFC 5952 form with a zone fits easily. */
    public static final int MAX_IP_LENGTH = 64;
    /** RFC 5321 4.5.3.1.2: a domain is at most 255 octets (the HELO name; the MX name is a {@link DomainName}). */
    public static final int MAX_HOST_LENGTH = 255;
    /** {@code additional-information} is a URI (RFC 8460 4.4); as long as a rua URI may be. */
    public static final int MAX_ADDITIONAL_INFORMATION_LENGTH = 2_048;
    /** {@code failure-reason-code} is free text (RFC 8460 4.4); a short diagnostic, not a stack trace. */
    public static final int MAX_FAILURE_REASON_LENGTH = 512;

    /**
     * {@code failure-reason-code} of the row that counts sessions whose details were not kept because their policy
     * domain already had too many distinct failure rows that day (issue 9: a peer must not grow the store).
     */
    public static final String DETAILS_LIMIT_REACHED = "details-limit-reached";

    private final ResultType resultType;
    private final Optional<String> sendingMtaIp;
    private final Optional<String> receivingMxHostname;
    private final Optional<String> receivingMxHelo;
    private final Optional<String> receivingIp;
    private final Optional<String> additionalInformation;
    private final Optional<String> failureReasonCode;

    private FailureDetails(Builder b) {
        this.resultType = Objects.requireNonNull(b.resultType, "resultType");
        this.sendingMtaIp = clean(b.sendingMtaIp, MAX_IP_LENGTH);
        this.receivingMxHostname = b.receivingMxHostname;
        this.receivingMxHelo = clean(b.receivingMxHelo, MAX_HOST_LENGTH);
        this.receivingIp = clean(b.receivingIp, MAX_IP_LENGTH);
        this.additionalInformation = clean(b.additionalInformation, MAX_ADDITIONAL_INFORMATION_LENGTH);
        this.failureReasonCode = clean(b.failureReasonCode, MAX_FAILURE_REASON_LENGTH);
    }

    public static Builder builder(ResultType resultType) {
        return new Builder(resultType);
    }

    /**
     * H4: the HELO name, the MX name and the reason texts come from peers; only printable ASCII within a bound is kept,
     * so no NUL reaches the database, no CR/LF a log line, and no peer can inflate rows or reports.
     */
    private static Optional<String> clean(Optional<String> value, int maxLength) {
        return value.map(String::trim).filter(s -> !s.isEmpty()).map(s -> NetworkText.clean(s, maxLength));
    }

    public ResultType resultType() {
        return resultType;
    }

    public Optional<String> sendingMtaIp() {
        return sendingMtaIp;
    }

    public Optional<String> receivingMxHostname() {
        return receivingMxHostname;
    }

    public Optional<String> receivingMxHelo() {
        return receivingMxHelo;
    }

    public Optional<String> receivingIp() {
        return receivingIp;
    }

    public Optional<String> additionalInformation() {
        return additionalInformation;
    }

    public Optional<String> failureReasonCode() {
        return failureReasonCode;
    }

    /**
     * These details without the text the peer chose (HELO name, reply-derived reason, additional information), for
     * counting sessions once a domain has too many distinct rows: result type, MX name and IPs stay.
     */
    public FailureDetails withoutPeerText() {
        Builder b = new Builder(resultType);
        b.sendingMtaIp = sendingMtaIp;
        b.receivingMxHostname = receivingMxHostname;
        b.receivingIp = receivingIp;
        b.failureReasonCode = Optional.of(DETAILS_LIMIT_REACHED);
        return b.build();
    }

    /** Only the result type: the last fold, when even {@link #withoutPeerText()} would add too many rows. */
    public FailureDetails resultTypeOnly() {
        return builder(resultType).failureReasonCode(DETAILS_LIMIT_REACHED).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(resultType);
        b.sendingMtaIp = sendingMtaIp;
        b.receivingMxHostname = receivingMxHostname;
        b.receivingMxHelo = receivingMxHelo;
        b.receivingIp = receivingIp;
        b.additionalInformation = additionalInformation;
        b.failureReasonCode = failureReasonCode;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FailureDetails)) {
            return false;
        }
        FailureDetails that = (FailureDetails) o;
        return resultType == that.resultType && sendingMtaIp.equals(that.sendingMtaIp)
            && receivingMxHostname.equals(that.receivingMxHostname) && receivingMxHelo.equals(that.receivingMxHelo)
            && receivingIp.equals(that.receivingIp) && additionalInformation.equals(that.additionalInformation)
            && failureReasonCode.equals(that.failureReasonCode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resultType, sendingMtaIp, receivingMxHostname, receivingMxHelo, receivingIp,
            additionalInformation, failureReasonCode);
    }

    @Override
    public String toString() {
        return "FailureDetails{" + resultType.token()
            + receivingMxHostname.map(h -> " mx=" + h).orElse("")
            + receivingIp.map(ip -> " ip=" + ip).orElse("")
            + failureReasonCode.map(c -> " code=" + c).orElse("") + "}";
    }

    public static final class Builder {
        private final ResultType resultType;
        private Optional<String> sendingMtaIp = Optional.empty();
        private Optional<String> receivingMxHostname = Optional.empty();
        private Optional<String> receivingMxHelo = Optional.empty();
        private Optional<String> receivingIp = Optional.empty();
        private Optional<String> additionalInformation = Optional.empty();
        private Optional<String> failureReasonCode = Optional.empty();

        private Builder(ResultType resultType) {
            this.resultType = resultType;
        }

        /** RFC 5952 text form for IPv6 is the caller's job (see {@code IpAddresses}). */
        public Builder sendingMtaIp(String ip) {
            this.sendingMtaIp = Optional.ofNullable(ip);
            return this;
        }

        /**
         * RFC 8460 4.4 {@code receiving-mx-hostname}: the MX name as a {@link DomainName} (lower-case A-labels, no
         * root dot); a name that is none (an address literal, a single label, a malformed or over-long label) is
         * omitted, as the address is reported in {@code receiving-ip}.
         */
        public Builder receivingMxHostname(String host) {
            this.receivingMxHostname = Optional.ofNullable(host).flatMap(DomainName::of).map(DomainName::asString);
            return this;
        }

        public Builder receivingMxHelo(String helo) {
            this.receivingMxHelo = Optional.ofNullable(helo);
            return this;
        }

        public Builder receivingIp(String ip) {
            this.receivingIp = Optional.ofNullable(ip);
            return this;
        }

        /**
         * RFC 8460 4.4: a URI pointing at more information (e.g. a help page); error text goes in
         * {@link #failureReasonCode}. Reports move text found here into the reason code.
         */
        public Builder additionalInformation(String info) {
            this.additionalInformation = Optional.ofNullable(info);
            return this;
        }

        /** RFC 8460 4.4: the failure in words or as a code (e.g. {@code X509_V_ERR_CERT_HAS_EXPIRED}). */
        public Builder failureReasonCode(String code) {
            this.failureReasonCode = Optional.ofNullable(code);
            return this;
        }

        public FailureDetails build() {
            return new FailureDetails(this);
        }
    }
}
