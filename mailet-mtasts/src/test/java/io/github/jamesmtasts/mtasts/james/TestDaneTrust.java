package io.github.jamesmtasts.mtasts.james;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;

/**
 * Test double of the DANE certificate check for delivery tests: DANE-EE(3) SPKI(1) SHA2-256(1) only, the leaf's key
 * against the host's records. The real matching (every usage, selector and matching type) is tested with its own
 * class; this one lets the delivery path be tested on its own.
 */
final class TestDaneTrust {

    private TestDaneTrust() {
    }

    /** The {@code 3 1 1} record of {@code certificate}'s public key. */
    static TlsaRecord eeSpkiSha256(X509Certificate certificate) {
        return TlsaRecord.of(TlsaRecord.DANE_EE, TlsaRecord.SELECTOR_SPKI, TlsaRecord.MATCH_SHA256,
            sha256(certificate.getPublicKey().getEncoded()));
    }

    static X509ExtendedTrustManager forHost(MxDane host) {
        return new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                byte[] spki = sha256(chain[0].getPublicKey().getEncoded());
                boolean matched = host.usableRecords().stream().anyMatch(r -> r.usage() == TlsaRecord.DANE_EE
                    && r.selector() == TlsaRecord.SELECTOR_SPKI && r.matchingType() == TlsaRecord.MATCH_SHA256
                    && Arrays.equals(r.data(), spki));
                if (!matched) {
                    throw new CertificateException("no TLSA record of " + host.mxHost() + " matches");
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
                throw new CertificateException("client side not supported");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
                throw new CertificateException("client side not supported");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client side not supported");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
