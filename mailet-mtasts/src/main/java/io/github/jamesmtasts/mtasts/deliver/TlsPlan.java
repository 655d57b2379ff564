package io.github.jamesmtasts.mtasts.deliver;

import java.util.Objects;
import java.util.Properties;

/**
 * How one SMTP session with one MX host uses TLS, once {@link MxCheck} has let the host through. Pure.
 *
 * <p>RFC 7435 (opportunistic security): where nothing asks for an authenticated peer, encrypt whenever the MX can,
 * accept whatever certificate it shows, and do not let a broken handshake stop the mail. That is the case without an
 * MTA-STS policy, under {@code mode: none} (RFC 8461 5: as if there were no policy), under {@code testing} (RFC 8461
 * 5: failures are reported, never enforced) and for mails that opted out of TLS requirements (RFC 8689 5, our report
 * mails per RFC 8460 5.3). Postfix's {@code smtp_tls_security_level = may} and mox behave the same way.
 *
 * <p>Never under {@code enforce} (RFC 8461 5: a host failing TLS is unreachable), never for implicit TLS (port 465
 * has no plaintext), and never when the session sends gateway credentials ({@code gatewayUsername}): SMTP AUTH over
 * plaintext or over a TLS session to an unauthenticated peer would hand the password to whoever sits on the path, so
 * such sessions keep the stock checks. James 3.8.1 has no RFC 8689 REQUIRETLS (no SMTP extension, no Mail flag), so no
 * mail can ask for more than its domain's policy.
 */
public final class TlsPlan {

    private final HostVerdict.Kind connectAs;
    private final boolean certificateProblemIsFailure;
    private final boolean plaintextRetry;

    private TlsPlan(HostVerdict.Kind connectAs, boolean certificateProblemIsFailure, boolean plaintextRetry) {
        this.connectAs = connectAs;
        this.certificateProblemIsFailure = certificateProblemIsFailure;
        this.plaintextRetry = plaintextRetry;
    }

    /**
     * @param verdict what {@link MxCheck} (or an opt-out) decided for the host; never {@code REFUSE}
     * @param opportunistic {@link MtaStsDeliverySettings#opportunisticTls()}
     * @param startTlsConfigured the stock {@code startTLS} parameter: without it, domains without a policy get no
     *                           STARTTLS at all, as with the stock mailet
     * @param implicitTls the session starts with TLS ({@code smtps}, {@code sslEnable})
     * @param sendsCredentials the session authenticates with {@code gatewayUsername} / {@code gatewayPassword}
     */
    public static TlsPlan forHost(HostVerdict.Kind verdict, boolean opportunistic, boolean startTlsConfigured,
                                  boolean implicitTls, boolean sendsCredentials) {
        boolean mayRetry = opportunistic && !implicitTls && !sendsCredentials;
        switch (verdict) {
            case REQUIRE_TLS:
                return new TlsPlan(HostVerdict.Kind.REQUIRE_TLS, true, false);
            case DANE_AUTHENTICATE:
                // RFC 7672 2.2: no plaintext, no retry without TLS; a certificate not matching the TLSA records fails.
                return new TlsPlan(HostVerdict.Kind.DANE_AUTHENTICATE, true, false);
            case DANE_ENCRYPT_ONLY:
                // RFC 7672 2.2: TLS required, but no usable TLSA record to check the certificate against.
                return new TlsPlan(HostVerdict.Kind.DANE_ENCRYPT_ONLY, false, false);
            case OBSERVE_TLS:
                // RFC 8461 5 testing: the certificate is still validated, and a problem is a failure to report.
                return new TlsPlan(HostVerdict.Kind.OBSERVE_TLS, true, mayRetry);
            case STOCK:
                if (mayRetry && startTlsConfigured) {
                    // SPEC: RFC 8460 4.4 counts "successfully negotiated TLS-enabled connections"; without a policy
                    // nothing requires authentication (RFC 7435 4), so an unverified certificate on a negotiated
                    // session is a success under no-policy-found, not one of the 4.3 failure types.
                    return new TlsPlan(HostVerdict.Kind.OBSERVE_TLS, false, true);
                }
                return new TlsPlan(HostVerdict.Kind.STOCK, false, false);
            default:
                throw new IllegalArgumentException("a refused host is never connected to");
        }
    }

    /** What {@link SmtpConnector#open} is asked for. */
    public HostVerdict.Kind connectAs() {
        return connectAs;
    }

    /** A certificate problem seen during a completed handshake is recorded as the session's TLS-RPT failure. */
    public boolean certificateProblemIsFailure() {
        return certificateProblemIsFailure;
    }

    /**
     * Whether a session that failed as {@code probe} tells is retried once on the same MX without STARTTLS: only when
     * the TLS handshake itself failed (the MX answered 220 to STARTTLS, the handshake did not complete). An MX that
     * does not offer STARTTLS already gets the mail in plaintext; one that refuses STARTTLS keeps the stock meaning of
     * its reply (4xx: retry later, 5xx: bounce).
     */
    public boolean retriesInPlaintextAfter(SessionProbe probe) {
        return plaintextRetry && probe.tlsStarted() && !probe.tlsEstablished();
    }

    /** The javax.mail properties of the plaintext retry: {@code base} (defaults included) without STARTTLS. */
    public static Properties withoutStartTls(Properties base) {
        Properties plain = new Properties();
        for (String name : base.stringPropertyNames()) {
            plain.put(name, base.getProperty(name));
        }
        plain.put("mail.smtp.starttls.enable", "false");
        plain.put("mail.smtp.starttls.required", "false");
        return plain;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsPlan)) {
            return false;
        }
        TlsPlan that = (TlsPlan) o;
        return connectAs == that.connectAs && certificateProblemIsFailure == that.certificateProblemIsFailure
            && plaintextRetry == that.plaintextRetry;
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectAs, certificateProblemIsFailure, plaintextRetry);
    }

    @Override
    public String toString() {
        return "TlsPlan{" + connectAs + (certificateProblemIsFailure ? ", certificate problems reported" : "")
            + (plaintextRetry ? ", plaintext retry after a failed handshake" : "") + "}";
    }
}
