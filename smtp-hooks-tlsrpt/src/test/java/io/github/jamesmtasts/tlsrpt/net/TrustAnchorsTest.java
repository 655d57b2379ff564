package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/** The one trust-store loader: every format every TLS client of ours accepts, and every way a file can be wrong. */
class TrustAnchorsTest {

    private static final TestPki PKI = TestPki.create("TrustAnchorsTest CA");
    private static final TestPki OTHER = TestPki.create("TrustAnchorsTest other CA");

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeFiles() throws Exception {
        PKI.writePemBundle(dir.resolve("ca.pem"));
        PKI.writePkcs12TrustStore(dir.resolve("ca.p12"), "secret".toCharArray());
        store(PKI.trustStore(), "JKS", dir.resolve("ca.jks"), "secret".toCharArray());
        // A server key store: its private key entry's certificate must not become a trust anchor.
        store(PKI.issue("server.test").keyStore("secret".toCharArray()), "PKCS12", dir.resolve("key-only.p12"),
            "secret".toCharArray());
        Files.writeString(dir.resolve("empty.pem"), "");
        Files.writeString(dir.resolve("garbage.pem"), "hello");
    }

    private static void store(KeyStore store, String type, Path file, char[] password) throws Exception {
        KeyStore converted = KeyStore.getInstance(type);
        converted.load(null, null);
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isCertificateEntry(alias)) {
                converted.setCertificateEntry(alias, store.getCertificate(alias));
            } else {
                converted.setEntry(alias, store.getEntry(alias, new KeyStore.PasswordProtection(password)),
                    new KeyStore.PasswordProtection(password));
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            converted.store(out, password);
        }
    }

    static Stream<Arguments> readable() {
        return Stream.of(
            arguments("PEM bundle recognised from its content", source("ca.pem", null, null)),
            arguments("PEM declared", source("ca.pem", TrustSource.Type.PEM, null)),
            arguments("PKCS12 recognised from its content", source("ca.p12", null, "secret")),
            arguments("PKCS12 declared", source("ca.p12", TrustSource.Type.PKCS12, "secret")),
            arguments("JKS recognised from its content", source("ca.jks", null, "secret")),
            arguments("JKS declared", source("ca.jks", TrustSource.Type.JKS, "secret")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readable")
    void loadShouldTrustTheCaOfEveryFormat(String rule, TrustSource source) throws Exception {
        TrustAnchors anchors = TrustAnchors.load(source);

        assertThatCode(() -> anchors.pkixTrustManager().checkServerTrusted(PKI.issue("mx.test").chain(), "UNKNOWN"))
            .doesNotThrowAnyException();
        assertThatThrownBy(() -> anchors.pkixTrustManager().checkServerTrusted(OTHER.issue("mx.test").chain(), "UNKNOWN"))
            .isInstanceOf(java.security.cert.CertificateException.class);
        assertThat(anchors).hasToString("trust store " + source.path());
    }

    static Stream<Arguments> unreadable() {
        return Stream.of(
            arguments("missing file", source("missing.pem", null, null), "missing.pem"),
            arguments("empty file", source("empty.pem", null, null), "empty.pem"),
            arguments("neither PEM nor a key store", source("garbage.pem", null, null), "not a PKCS12 or JKS key store"),
            arguments("declared PEM that is a key store", source("ca.p12", TrustSource.Type.PEM, null), "PEM bundle"),
            arguments("wrong password", source("ca.p12", null, "wrong"), "opens with the given password"),
            arguments("a private key entry is no anchor", source("key-only.p12", null, "secret"), "holds no certificate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void loadShouldRefuseNamingTheFile(String rule, TrustSource source, String reason) {
        assertThatThrownBy(() -> TrustAnchors.load(source))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(source.path().toString())
            .hasMessageContaining(reason)
            .hasMessageNotContaining("secret");
    }

    @Test
    void ofShouldUseOnlyTheCertificateEntriesOfAKeyStore() throws GeneralSecurityException {
        assertThatCode(() -> TrustAnchors.of(PKI.trustStore()).pkixTrustManager()
            .checkServerTrusted(PKI.issue("mx.test").chain(), "UNKNOWN")).doesNotThrowAnyException();
        assertThat(TrustAnchors.of(PKI.issue("server.test").keyStore("pw".toCharArray())).pkixTrustManager()
            .getAcceptedIssuers()).isEmpty();
    }

    @Test
    void jvmDefaultShouldNotTrustATestCa() {
        assertThatThrownBy(() -> TrustAnchors.jvmDefault().pkixTrustManager()
            .checkServerTrusted(PKI.issue("mx.test").chain(), "UNKNOWN"))
            .isInstanceOf(java.security.cert.CertificateException.class);
    }

    private static TrustSource source(String file, TrustSource.Type type, String password) {
        return TrustSource.of(dir.resolve(file), Optional.ofNullable(type), Optional.ofNullable(password));
    }
}
