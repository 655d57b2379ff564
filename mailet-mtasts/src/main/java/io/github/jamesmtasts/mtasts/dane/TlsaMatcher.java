package io.github.jamesmtasts.mtasts.dane;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.DnsIdMatcher;

/**
 * RFC 7672 3: does the certificate chain a DANE MX host presented (leaf first) match one of its usable TLSA records?
 * Pure: no I/O, the time is an argument. Any one usable record matching is enough (3.1, key rollover publishes two).
 *
 * <ul>
 *   <li>DANE-EE(3) (3.1.1, 3.2.1): the leaf's certificate (selector Cert(0)) or its DER SubjectPublicKeyInfo
 *       (SPKI(1)), compared whole (Full(0)) or as SHA2-256(1) / SHA2-512(2) digest. Nothing else: no name check, no
 *       validity dates (an expired certificate still matches), no chain.</li>
 *   <li>DANE-TA(2) (3.1.2, 3.2.2): the record matches an issuer certificate in the presented chain (depth 1 or more:
 *       3.1.2 asks the server to send its trust anchor, even a self-signed root; a record matching only the leaf is a
 *       DANE-EE record published with the wrong usage and does not authenticate). The path from the leaf up to that
 *       certificate (built by issuer name from the presented certificates, in any order) is validated with the JDK's
 *       PKIX validator, the matched certificate as trust anchor (signatures, name chaining, basicConstraints, key
 *       usage, path length, critical extensions, the JDK's algorithm constraints; revocation off, as no DANE client
 *       checks it), at the given time; a matched certificate that is a v3
 *       certificate must itself be a CA; with selector Cert(0) the record pins that whole certificate, so its validity
 *       dates are checked too, with SPKI(1) only its key is the anchor. Then the leaf must name a reference
 *       identifier (3.2.3): the MX host name or the TLSA base domain, in a subjectAltName DNS-ID
 *       ({@link DnsIdMatcher}: a wildcard only as the whole left-most label, one label). We never fall back to the
 *       subject CN: every public CA has put the names in DNS-IDs for years, and a CN fallback is what RFC 6125 6.4.4
 *       deprecates (RFC 9525 drops it) and RFC 8461 4.2 refuses for MTA-STS; a CN-only certificate is refused as a
 *       host mismatch.</li>
 * </ul>
 *
 * <p>The RFC 8460 result type of a refusal, when no record authenticated the chain; a record whose DANE-TA(2) check
 * got furthest decides the type (host mismatch after a valid path, before expired, before a broken path):
 * <ul>
 *   <li>no usable record matched any certificate where it may match: {@code tlsa-invalid} (RFC 8460 4.3.2.1: "none
 *       of the records in the RRset were found to be valid"), reason code {@value #NO_MATCH};</li>
 *   <li>a DANE-TA(2) record matched, but the path from the leaf to it does not validate: {@code
 *       certificate-not-trusted} (RFC 8460 4.3.1 names "certificate chain errors" as its case; {@code
 *       validation-failure} is for failures "not matching a category above"), reason code {@code dane-ta-path-} and
 *       the validator's reason (e.g. {@code dane-ta-path-invalid-signature}, {@code dane-ta-path-not-ca-cert});</li>
 *   <li>the path validates but a certificate on it is outside its validity dates: {@code certificate-expired}
 *       (RFC 8460 4.3.1), reason code {@code certificate-not-yet-valid} for one not yet valid (as
 *       {@code TlsFailureClassifier} does for PKIX);</li>
 *   <li>the path is valid and current but the leaf names no reference identifier: {@code certificate-host-mismatch}
 *       (RFC 8460 4.3.1: "the certificate presented did not adhere to the constraints specified in the ... DANE
 *       policy").</li>
 * </ul>
 *
 * <p>Bounds: at most {@value #MAX_CHAIN_LENGTH} certificates of a chain are looked at (a trust anchor further up is
 * not found, the result is then {@code tlsa-invalid}); each certificate is encoded and hashed at most once per
 * selector and matching type (six forms), and a certificate matched by DANE-TA(2) records is evaluated at most once
 * per selector: at most 2 x 9 path builds (each at most 9 x 9 name comparisons and signature checks) and path
 * validations per chain, however many records the RRset holds.
 */
public final class TlsaMatcher {

    /** Certificates of a presented chain looked at (leaf included); real chains have 2 to 4. */
    public static final int MAX_CHAIN_LENGTH = 10;
    /** Reason code of {@code tlsa-invalid}: no usable record matched. */
    public static final String NO_MATCH = "dane-no-tlsa-match";
    static final String PATH_PREFIX = "dane-ta-path-";
    private static final String NOT_YET_VALID = "certificate-not-yet-valid";

    private TlsaMatcher() {
    }

    /** {@link #match(X509Certificate[], List, DomainName, DomainName, Instant)} with the host's usable records. */
    public static DaneMatch match(X509Certificate[] chain, MxDane host, Instant at) {
        return match(chain, host.usableRecords(), host.mxHost(), host.tlsaBase(), at);
    }

    /**
     * @param chain the chain as presented, leaf first
     * @param records the TLSA records; those not {@link TlsaRecord#usable()} are ignored (RFC 7672 3.1.3)
     * @param mxHost the MX host name: a reference identifier for DANE-TA(2) (RFC 7672 3.2.3)
     * @param tlsaBase the TLSA base domain (the MX host or its secure CNAME target): the other reference identifier
     * @param at the time validity dates are checked against (DANE-TA(2) only)
     */
    public static DaneMatch match(X509Certificate[] chain, List<TlsaRecord> records, DomainName mxHost,
                                  DomainName tlsaBase, Instant at) {
        List<TlsaRecord> usable = records.stream().filter(TlsaRecord::usable).collect(Collectors.toList());
        if (chain == null || chain.length == 0 || chain[0] == null) {
            return DaneMatch.failed(ResultType.TLSA_INVALID, Optional.of(NO_MATCH), mxHost.asString()
                + " presented no certificate to match its TLSA records against");
        }
        int length = Math.min(chain.length, MAX_CHAIN_LENGTH);
        for (int i = 1; i < length; i++) {
            if (chain[i] == null) {
                length = i;
            }
        }
        Forms forms = new Forms(chain);
        for (TlsaRecord record : usable) {
            if (record.usage() == TlsaRecord.DANE_EE && forms.matches(0, record)) {
                return DaneMatch.matched(record, 0, "the certificate of " + mxHost.asString()
                    + " matches its DANE-EE TLSA record " + record);
            }
        }
        DaneMatch best = null;
        // A certificate matched by several records (2 0 1 and 2 0 2 ...) is evaluated once per selector: the outcome
        // depends on the certificate and on whether its whole certificate or its key is the anchor, not on the digest.
        Set<Integer> evaluated = new HashSet<>();
        for (TlsaRecord record : usable) {
            if (record.usage() != TlsaRecord.DANE_TA) {
                continue;
            }
            for (int depth = 1; depth < length; depth++) {
                if (!forms.matches(depth, record) || !evaluated.add(depth * 2 + record.selector())) {
                    continue;
                }
                DaneMatch result = throughTrustAnchor(chain, length, depth, record, mxHost, tlsaBase, at);
                if (result.isMatch()) {
                    return result;
                }
                if (best == null || rank(result) > rank(best)) {
                    best = result;
                }
            }
        }
        if (best != null) {
            return best;
        }
        return DaneMatch.failed(ResultType.TLSA_INVALID, Optional.of(NO_MATCH), "the certificate chain of "
            + mxHost.asString() + " matches none of its " + usable.size() + " usable TLSA records " + usable
            + (chain.length > MAX_CHAIN_LENGTH ? " (only the first " + MAX_CHAIN_LENGTH + " of its " + chain.length
                + " certificates were looked at)" : "")
            + ": publish TLSA records for the certificate it presents, or present the certificate they name");
    }

    private static DaneMatch throughTrustAnchor(X509Certificate[] chain, int length, int depth, TlsaRecord record,
                                                DomainName mxHost, DomainName tlsaBase, Instant at) {
        X509Certificate anchor = chain[depth];
        String where = "the chain of " + mxHost.asString() + " up to its DANE-TA trust anchor " + record + " ("
            + anchor.getSubjectX500Principal() + ")";
        if (anchor.getVersion() >= 3 && anchor.getBasicConstraints() < 0) {
            return DaneMatch.failed(ResultType.CERTIFICATE_NOT_TRUSTED, Optional.of(PATH_PREFIX + "not-ca-cert"),
                where + ": the trust anchor certificate is not a CA certificate");
        }
        Optional<DaneMatch> path = validatePath(pathTo(chain, length, depth), anchor, record, at, where);
        if (path.isPresent()) {
            return path.get();
        }
        if (record.selector() == TlsaRecord.SELECTOR_CERT) {
            try {
                anchor.checkValidity(Date.from(at));
            } catch (CertificateExpiredException e) {
                return DaneMatch.failed(ResultType.CERTIFICATE_EXPIRED, Optional.empty(), where
                    + ": the trust anchor certificate expired " + anchor.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                return DaneMatch.failed(ResultType.CERTIFICATE_EXPIRED, Optional.of(NOT_YET_VALID), where
                    + ": the trust anchor certificate is valid only from " + anchor.getNotBefore().toInstant());
            }
        }
        List<String> names = DnsIdMatcher.dnsIds(chain[0]);
        boolean named = names.stream()
            .anyMatch(id -> DnsIdMatcher.matches(id, mxHost.asString())
                || DnsIdMatcher.matches(id, tlsaBase.asString()));
        if (!named) {
            return DaneMatch.failed(ResultType.CERTIFICATE_HOST_MISMATCH, Optional.empty(), "the certificate of "
                + mxHost.asString() + " chains to its DANE-TA trust anchor " + record + " but names neither "
                + mxHost.asString() + (tlsaBase.equals(mxHost) ? "" : " nor " + tlsaBase.asString())
                + " in a subjectAltName DNS-ID (names: " + (names.isEmpty() ? "none" : names)
                + "; a subject CN does not count)");
        }
        return DaneMatch.matched(record, depth, "the certificate of " + mxHost.asString()
            + " chains to its DANE-TA TLSA record " + record + " at depth " + depth);
    }

    /**
     * The path from the leaf towards {@code chain[depth]}, built by issuer name from the first {@code length}
     * presented certificates in any order, each used once (RFC 8446 4.4.2: clients should cope with extra
     * certificates and any order): the leaf, then the certificate whose subject is its issuer (one whose key verifies
     * the signature when several share the name), and so on until the next issuer is the trust anchor's subject or no
     * presented certificate carries it (then the validator reports the gap).
     */
    static List<X509Certificate> pathTo(X509Certificate[] chain, int length, int depth) {
        X500Principal anchorName = chain[depth].getSubjectX500Principal();
        List<X509Certificate> path = new ArrayList<>();
        boolean[] used = new boolean[length];
        used[0] = true;
        used[depth] = true;
        X509Certificate current = chain[0];
        path.add(current);
        while (!current.getIssuerX500Principal().equals(anchorName)) {
            int next = issuerOf(current, chain, used);
            if (next < 0) {
                break;
            }
            used[next] = true;
            current = chain[next];
            path.add(current);
        }
        return path;
    }

    private static int issuerOf(X509Certificate certificate, X509Certificate[] chain, boolean[] used) {
        int named = -1;
        for (int i = 1; i < used.length; i++) {
            if (used[i] || !chain[i].getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            if (named < 0) {
                named = i;
            }
            try {
                certificate.verify(chain[i].getPublicKey());
                return i;
            } catch (GeneralSecurityException e) {
                // Same name, another key: keep looking for the real issuer.
            }
        }
        return named;
    }

    /** Empty when {@code path} (leaf first) validates against {@code anchorCertificate} at {@code at}. */
    private static Optional<DaneMatch> validatePath(List<X509Certificate> path, X509Certificate anchorCertificate,
                                                    TlsaRecord record, Instant at, String where) {
        TrustAnchor anchor = record.selector() == TlsaRecord.SELECTOR_CERT ? new TrustAnchor(anchorCertificate, null)
            : new TrustAnchor(anchorCertificate.getSubjectX500Principal(), anchorCertificate.getPublicKey(), null);
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            CertPathValidatorException.Reason reason = e.getReason();
            if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
                return Optional.of(DaneMatch.failed(ResultType.CERTIFICATE_EXPIRED, Optional.empty(), where
                    + ": a certificate on it has expired (" + e.getMessage() + ")"));
            }
            if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Optional.of(DaneMatch.failed(ResultType.CERTIFICATE_EXPIRED, Optional.of(NOT_YET_VALID), where
                    + ": a certificate on it is not yet valid (" + e.getMessage() + ")"));
            }
            return Optional.of(DaneMatch.failed(ResultType.CERTIFICATE_NOT_TRUSTED, Optional.of(PATH_PREFIX
                + reason.toString().toLowerCase(Locale.ROOT).replace('_', '-')), where + " does not validate: "
                + e.getMessage()));
        } catch (InvalidAlgorithmParameterException | CertificateException e) {
            return Optional.of(DaneMatch.failed(ResultType.CERTIFICATE_NOT_TRUSTED, Optional.of(PATH_PREFIX
                + "unspecified"), where + " cannot be validated: " + e.getMessage()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no PKIX certificate path validator", e);
        }
    }

    private static int rank(DaneMatch failure) {
        switch (failure.failure().orElseThrow()) {
            case CERTIFICATE_HOST_MISMATCH:
                return 3;
            case CERTIFICATE_EXPIRED:
                return 2;
            case CERTIFICATE_NOT_TRUSTED:
                return 1;
            default:
                return 0;
        }
    }

    /** The six matchable forms of each certificate (RFC 6698 2.1.2, 2.1.3), each computed at most once. */
    private static final class Forms {
        private final X509Certificate[] chain;
        private final Map<Integer, Optional<byte[]>> computed = new HashMap<>();

        Forms(X509Certificate[] chain) {
            this.chain = chain;
        }

        boolean matches(int depth, TlsaRecord record) {
            Optional<byte[]> form = computed.computeIfAbsent(depth * 16 + record.selector() * 4 + record.matchingType(),
                key -> form(chain[depth], record.selector(), record.matchingType()));
            return form.isPresent() && MessageDigest.isEqual(form.get(), record.data());
        }

        private static Optional<byte[]> form(X509Certificate certificate, int selector, int matchingType) {
            try {
                byte[] selected = selector == TlsaRecord.SELECTOR_CERT ? certificate.getEncoded()
                    : SubjectPublicKeyInfo.of(certificate);
                switch (matchingType) {
                    case TlsaRecord.MATCH_FULL:
                        return Optional.of(selected);
                    case TlsaRecord.MATCH_SHA256:
                        return Optional.of(MessageDigest.getInstance("SHA-256").digest(selected));
                    case TlsaRecord.MATCH_SHA512:
                        return Optional.of(MessageDigest.getInstance("SHA-512").digest(selected));
                    default:
                        return Optional.empty();
                }
            } catch (CertificateEncodingException e) {
                // A certificate we cannot encode matches nothing.
                return Optional.empty();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks SHA-256 or SHA-512", e);
            }
        }
    }
}
