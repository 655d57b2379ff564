package io.github.jamesmtasts.mtasts.james;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

import io.github.jamesmtasts.mtasts.dane.TlsaRecord;

/** TLSA records (RFC 6698 2.1) of test certificates, as a DANE domain would publish them. */
final class TestTlsa {

    private TestTlsa() {
    }

    /** {@code 3 1 1}: DANE-EE, the SHA2-256 of the certificate's public key. */
    static TlsaRecord eeSpkiSha256(X509Certificate certificate) {
        return TlsaRecord.of(TlsaRecord.DANE_EE, TlsaRecord.SELECTOR_SPKI, TlsaRecord.MATCH_SHA256,
            sha256(certificate.getPublicKey().getEncoded()));
    }

    /** {@code 2 0 1}: DANE-TA, the SHA2-256 of the whole issuer certificate. */
    static TlsaRecord taCertSha256(X509Certificate issuer) {
        try {
            return TlsaRecord.of(TlsaRecord.DANE_TA, TlsaRecord.SELECTOR_CERT, TlsaRecord.MATCH_SHA256,
                sha256(issuer.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
