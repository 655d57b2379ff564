package io.github.jamesmtasts.mtasts.dane;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * RFC 6698 2.1.2 selector SPKI(1): the DER-encoded SubjectPublicKeyInfo exactly as it appears in the certificate.
 * Read from the TBSCertificate's own bytes rather than re-encoded from the JDK's {@code PublicKey}, which may encode
 * the same key differently (EC parameters, for one) and then match no digest published for the certificate.
 */
final class SubjectPublicKeyInfo {

    private static final int SEQUENCE = 0x30;
    private static final int VERSION_TAG = 0xa0;
    /** RFC 5280 4.1: serialNumber, signature, issuer, validity and subject come before subjectPublicKeyInfo. */
    private static final int FIELDS_BEFORE_SPKI = 5;

    private SubjectPublicKeyInfo() {
    }

    static byte[] of(X509Certificate certificate) throws CertificateEncodingException {
        byte[] tbs = certificate.getTBSCertificate();
        int[] outer = header(tbs, 0);
        if ((tbs[0] & 0xff) != SEQUENCE) {
            throw new CertificateEncodingException("TBSCertificate is not a SEQUENCE");
        }
        int position = outer[0];
        if (position < tbs.length && (tbs[position] & 0xff) == VERSION_TAG) {
            position = end(tbs, position);
        }
        for (int i = 0; i < FIELDS_BEFORE_SPKI; i++) {
            position = end(tbs, position);
        }
        if (position >= tbs.length || (tbs[position] & 0xff) != SEQUENCE) {
            throw new CertificateEncodingException("no SubjectPublicKeyInfo SEQUENCE in the TBSCertificate");
        }
        return Arrays.copyOfRange(tbs, position, end(tbs, position));
    }

    private static int end(byte[] der, int position) throws CertificateEncodingException {
        int[] header = header(der, position);
        return header[0] + header[1];
    }

    /** {content start, content length} of the DER element at {@code position}, both within {@code der}. */
    private static int[] header(byte[] der, int position) throws CertificateEncodingException {
        if (position + 2 > der.length || (der[position] & 0x1f) == 0x1f) {
            throw new CertificateEncodingException("truncated or multi-octet DER tag at " + position);
        }
        int first = der[position + 1] & 0xff;
        int start = position + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4 || start + octets > der.length) {
                throw new CertificateEncodingException("bad DER length at " + position);
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[start + i] & 0xff);
            }
            start += octets;
        }
        if (length > der.length - start) {
            throw new CertificateEncodingException("DER element at " + position + " runs past the end");
        }
        return new int[] {start, (int) length};
    }
}
