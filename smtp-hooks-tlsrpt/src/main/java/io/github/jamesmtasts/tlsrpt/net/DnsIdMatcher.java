package io.github.jamesmtasts.tlsrpt.net;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.github.jamesmtasts.tlsrpt.classify.CertificateHostMismatchException;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.DomainPattern;

/**
 * RFC 8461 3.3 and 4.2 / RFC 6125 6.4: does a certificate carry a subjectAltName DNS-ID matching the host name (the MX,
 * the policy host {@code mta-sts.<domain>}, a report collector)?
 * Only dNSName entries count (no CN fallback); a wildcard is allowed only as the whole left-most label and
 * stands for exactly one label; comparison is case-insensitive and ignores a trailing dot ({@link DomainPattern}).
 */
public final class DnsIdMatcher {

    private static final int SAN_DNS_NAME = 2;

    private DnsIdMatcher() {
    }

    /**
     * The identity check every TLS client of ours makes (MX hosts, policy hosts, report collectors): the leaf
     * certificate must name {@code host} in a subjectAltName dNSName; a subject CN never counts. {@code host} is the
     * peer name JSSE has for the session, parsed here once; a name that is none (an IP address, a single label)
     * matches no certificate.
     *
     * @throws CertificateHostMismatchException naming the host and the names the certificate has
     */
    public static void requireDnsId(X509Certificate[] chain, String host) throws CertificateHostMismatchException {
        DomainName.Parsed name = DomainName.parse(host);
        if (name.name().isEmpty()) {
            throw new CertificateHostMismatchException("No certificate can match the host: "
                + name.problem().get());
        }
        requireDnsId(chain, name.name().get());
    }

    public static void requireDnsId(X509Certificate[] chain, DomainName host) throws CertificateHostMismatchException {
        if (chain == null || chain.length == 0 || !certificateNames(chain[0], host)) {
            throw new CertificateHostMismatchException("The certificate of " + host
                + " has no subjectAltName DNS-ID matching it (names: "
                + (chain == null || chain.length == 0 ? "none" : dnsIds(chain[0])) + "; a subject CN does not count)");
        }
    }

    public static boolean certificateNames(X509Certificate certificate, DomainName host) {
        return dnsIds(certificate).stream().anyMatch(id -> matches(id, host));
    }

    public static List<String> dnsIds(X509Certificate certificate) {
        List<String> ids = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans == null) {
                return ids;
            }
            for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(SAN_DNS_NAME).equals(san.get(0)) && san.get(1) instanceof String) {
                    ids.add((String) san.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            // An unparsable SAN extension names nothing.
        }
        return ids;
    }

    /**
     * RFC 6125 6.4: a dNSName that is a {@link DomainPattern} (A-labels, a wildcard only as the whole left-most
     * label over at least two labels) matching {@code host}; any other dNSName (a U-label, spaces, an IP address,
     * a partial-label wildcard) names nothing.
     */
    public static boolean matches(String dnsId, DomainName host) {
        return DomainPattern.parse(dnsId).filter(id -> id.matches(host)).isPresent();
    }
}
