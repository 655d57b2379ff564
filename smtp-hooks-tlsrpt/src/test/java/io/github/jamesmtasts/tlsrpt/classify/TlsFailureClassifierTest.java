package io.github.jamesmtasts.tlsrpt.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.classify.LoopbackTlsServer.Behaviour;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/** Real TLS handshakes on 127.0.0.1, the client's failure fed to the classifier. */
class TlsFailureClassifierTest {

    private static final String MX = "mx.classify.test";

    private static TestPki trustedCa;
    private static TestPki strangerCa;

    private final TlsFailureClassifier classifier = new TlsFailureClassifier();

    @BeforeAll
    static void createPki() {
        trustedCa = TestPki.create("trusted classifier CA");
        strangerCa = TestPki.create("stranger classifier CA");
    }

    @AfterAll
    static void forget() {
        trustedCa = null;
        strangerCa = null;
    }

    static Stream<Arguments> handshakes() {
        Instant now = Instant.now();
        return Stream.of(
            row("4.3.1 expired certificate is certificate-expired",
                () -> trustedCa.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), MX).serverContext(),
                new String[0], new String[0], Classification.of(ResultType.CERTIFICATE_EXPIRED)),
            row("4.3.1 not yet valid certificate is certificate-expired with a reason code",
                () -> trustedCa.issue(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), MX).serverContext(),
                new String[0], new String[0],
                Classification.of(ResultType.CERTIFICATE_EXPIRED, "certificate-not-yet-valid")),
            row("4.3.1 unknown CA is certificate-not-trusted unknown-issuer",
                () -> strangerCa.issue(MX).serverContext(), new String[0], new String[0],
                Classification.of(ResultType.CERTIFICATE_NOT_TRUSTED, "unknown-issuer")),
            row("4.3.1 certificate for another host is certificate-host-mismatch",
                () -> trustedCa.issue("other.classify.test").serverContext(), new String[0], new String[0],
                Classification.of(ResultType.CERTIFICATE_HOST_MISMATCH)),
            row("I 7 no common protocol version is validation-failure tls-protocol-version",
                () -> trustedCa.issue(MX).serverContext(), new String[] {"TLSv1.2"}, new String[] {"TLSv1.3"},
                Classification.of(ResultType.VALIDATION_FAILURE, "tls-protocol-version")));
    }

    private static Arguments row(String name, ServerContext server, String[] serverProtocols, String[] clientProtocols,
                                 Classification expected) {
        return Arguments.of(name, server, serverProtocols, clientProtocols, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handshakes")
    void handshakeFailureShouldBeClassified(String name, ServerContext server, String[] serverProtocols,
                                            String[] clientProtocols, Classification expected) throws Exception {
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(Behaviour.HANDSHAKE, Optional.of(server.create()),
            serverProtocols)) {
            Exception failure = handshake(tls, clientProtocols, 10_000);

            assertThat(failure).isNotNull();
            assertThat(classifier.classify(failure)).isEqualTo(expected);
        }
    }

    @Test
    void handshakeShouldSucceedWithAGoodCertificate() throws Exception {
        // Guards the rows above: they fail for the reason they name, not because the fixture always fails.
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(Behaviour.HANDSHAKE,
            Optional.of(trustedCa.issue(MX).serverContext()))) {
            assertThat(handshake(tls, new String[0], 10_000)).isNull();
        }
    }

    @Test
    void silentServerShouldBeValidationFailureWithTimeoutCode() throws Exception {
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(Behaviour.SILENT, Optional.empty())) {
            Exception failure = handshake(tls, new String[0], 300);

            assertThat(classifier.classify(failure))
                .isEqualTo(Classification.of(ResultType.VALIDATION_FAILURE, "tls-handshake-timeout"));
        }
    }

    @Test
    void serverClosingDuringHandshakeShouldBeValidationFailureWithClosedCode() throws Exception {
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(Behaviour.CLOSE_AT_ONCE, Optional.empty())) {
            Exception failure = handshake(tls, new String[0], 10_000);

            assertThat(classifier.classify(failure))
                .isEqualTo(Classification.of(ResultType.VALIDATION_FAILURE, "tls-connection-closed"));
        }
    }

    @Test
    void handshakeFailureShouldBeFoundInsideJavaMailsNestedException() throws Exception {
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(Behaviour.HANDSHAKE,
            Optional.of(strangerCa.issue(MX).serverContext()))) {
            Exception failure = new MessagingException("Could not convert socket to TLS", handshake(tls, new String[0], 10_000));

            assertThat(classifier.classify(failure))
                .isEqualTo(Classification.of(ResultType.CERTIFICATE_NOT_TRUSTED, "unknown-issuer"));
        }
    }

    @Test
    void missingStartTlsShouldBeStarttlsNotSupported() {
        Exception failure = new MessagingException("MTA-STS: mx does not offer STARTTLS",
            new StartTlsNotSupportedException("mx did not offer STARTTLS"));

        assertThat(classifier.classify(failure)).isEqualTo(Classification.of(ResultType.STARTTLS_NOT_SUPPORTED));
    }

    @Test
    void refusalBeforeTlsShouldBeStarttlsNotSupportedWithACleanBoundedReasonCode() {
        Exception failure = new MessagingException("MTA-STS: mx refused STARTTLS", new StartTlsNotSupportedException(
            "mx refused STARTTLS", "starttls-refused: 454 4.7.0 TLS\r\nnot available " + "x".repeat(500)));

        Classification classification = classifier.classify(failure);

        assertThat(classification.resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
        assertThat(classification.failureReasonCode()).hasValueSatisfying(code -> assertThat(code)
            .startsWith("starttls-refused: 454 4.7.0 TLS??not available")
            .hasSize(StartTlsNotSupportedException.MAX_REASON_CODE)
            .matches("[\\x20-\\x7e]*"));
    }

    @Test
    void refusalBeforeTlsSuppressedBehindJavaMailsOwnExceptionShouldBeFound() {
        // Under testing the javax.mail exception is kept for James (stock retry / bounce meaning); ours rides along.
        MessagingException failure = new MessagingException("454 4.7.0 TLS not available");
        failure.addSuppressed(new StartTlsNotSupportedException("refused", "starttls-refused: 454 4.7.0 TLS not available"));

        assertThat(classifier.classify(failure)).isEqualTo(
            Classification.of(ResultType.STARTTLS_NOT_SUPPORTED, "starttls-refused: 454 4.7.0 TLS not available"));
    }

    @Test
    void replyTooLongAfterTlsShouldBeValidationFailureWithItsReasonCode() {
        // javax.mail wraps what its reader throws: "Exception reading response" with the IOException nested.
        Exception failure = new MessagingException("Exception reading response",
            new ReplyTooLongException("MX reply line longer than 2048 bytes"));

        assertThat(classifier.classify(failure))
            .isEqualTo(Classification.of(ResultType.VALIDATION_FAILURE, "reply-too-long"));
    }

    @Test
    void expiredReasonOfPathValidationShouldBeCertificateExpired() {
        CertPathValidatorException expired = new CertPathValidatorException("validity check failed", null, null, -1,
            CertPathValidatorException.BasicReason.EXPIRED);

        SSLHandshakeException handshakeFailure = new SSLHandshakeException("PKIX path validation failed");
        handshakeFailure.initCause(new CertificateException(expired));

        assertThat(classifier.classify(handshakeFailure))
            .isEqualTo(Classification.of(ResultType.CERTIFICATE_EXPIRED));
    }

    @Test
    void otherPathValidationReasonShouldBeNotTrustedWithThatReason() {
        CertPathValidatorException revoked = new CertPathValidatorException("revoked", null, null, -1,
            CertPathValidatorException.BasicReason.REVOKED);

        assertThat(classifier.classify(new CertificateException(revoked)))
            .isEqualTo(Classification.of(ResultType.CERTIFICATE_NOT_TRUSTED, "path-validation-revoked"));
    }

    static Stream<Arguments> classifiedRefusals() {
        return Stream.of(
            Arguments.of("J 4.3 tlsa-invalid carried by the trust manager", ResultType.TLSA_INVALID,
                Optional.of("dane-no-tlsa-match"), Classification.of(ResultType.TLSA_INVALID, "dane-no-tlsa-match")),
            Arguments.of("J 4.3 host mismatch carried by the trust manager", ResultType.CERTIFICATE_HOST_MISMATCH,
                Optional.empty(), Classification.of(ResultType.CERTIFICATE_HOST_MISMATCH)),
            Arguments.of("J 4.3 expired carried by the trust manager", ResultType.CERTIFICATE_EXPIRED,
                Optional.empty(), Classification.of(ResultType.CERTIFICATE_EXPIRED)),
            Arguments.of("J 4.3 not trusted with the trust manager's reason code",
                ResultType.CERTIFICATE_NOT_TRUSTED, Optional.of("dane-ta-path-basic-constraints"),
                Classification.of(ResultType.CERTIFICATE_NOT_TRUSTED, "dane-ta-path-basic-constraints")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifiedRefusals")
    void refusalCarryingItsResultTypeShouldKeepItThroughARealHandshake(String name, ResultType type,
                                                                      Optional<String> code, Classification expected)
        throws Exception {
        ClassifiedCertificateException refusal = new ClassifiedCertificateException(type, code, "refused by policy");
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(Behaviour.HANDSHAKE,
            Optional.of(trustedCa.issue(MX).serverContext()))) {
            Exception failure = handshake(tls, new RefusingTrustManager(refusal));

            assertThat(failure).isInstanceOf(SSLHandshakeException.class);
            assertThat(classifier.classify(new MessagingException("Could not convert socket to TLS", failure)))
                .isEqualTo(expected);
        }
    }

    @Test
    void classifiedRefusalShouldWinOverTheGenericCertificateMapping() {
        // Without its own step it would be "certificate-not-trusted certificate-rejected", like any refusal.
        CertificateException refusal = new ClassifiedCertificateException(ResultType.TLSA_INVALID, Optional.empty(),
            "no TLSA record matched");

        assertThat(classifier.classify(new SSLHandshakeException("handshake failed").initCause(refusal)))
            .isEqualTo(Classification.of(ResultType.TLSA_INVALID));
    }

    @Test
    void classifiedRefusalShouldCleanAndBoundItsReasonCode() {
        ClassifiedCertificateException refusal = new ClassifiedCertificateException(ResultType.TLSA_INVALID,
            Optional.of("no\r\nmatch " + "x".repeat(500)), "no TLSA record matched");

        assertThat(refusal.failureReasonCode()).hasValueSatisfying(code -> assertThat(code)
            .hasSize(ClassifiedCertificateException.MAX_REASON_CODE).matches("[\\x20-\\x7e]*"));
    }

    @Test
    void unknownFailureShouldBeValidationFailureUnclassified() {
        assertThat(classifier.classify(new IllegalStateException("boom")))
            .isEqualTo(Classification.of(ResultType.VALIDATION_FAILURE, "unclassified"));
    }

    private static Exception handshake(LoopbackTlsServer server, String[] protocols, int readTimeoutMillis)
        throws GeneralSecurityException {
        return handshake(server, protocols, readTimeoutMillis,
            new HostCheckingTrustManager((X509ExtendedTrustManager) trustedCa.trustManager()));
    }

    private static Exception handshake(LoopbackTlsServer server, X509ExtendedTrustManager trustManager)
        throws GeneralSecurityException {
        return handshake(server, new String[0], 10_000, trustManager);
    }

    private static Exception handshake(LoopbackTlsServer server, String[] protocols, int readTimeoutMillis,
                                       X509ExtendedTrustManager trustManager) throws GeneralSecurityException {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {trustManager}, null);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(server.address(), server.port()), 10_000);
            plain.setSoTimeout(readTimeoutMillis);
            SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, MX, server.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName(MX)));
            if (protocols.length > 0) {
                parameters.setProtocols(protocols);
            }
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    @FunctionalInterface
    interface ServerContext {
        SSLContext create();
    }

    /** Stands in for a trust manager with a policy of its own (DANE): refuses every server with one refusal. */
    private static final class RefusingTrustManager extends X509ExtendedTrustManager {
        private final CertificateException refusal;

        RefusingTrustManager(CertificateException refusal) {
            this.refusal = refusal;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw refusal;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw refusal;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw refusal;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * Stands in for the delivery's trust manager: PKIX first, then JSSE's endpoint identification, whose untyped
     * failure becomes our typed host mismatch.
     */
    private static final class HostCheckingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pkix;

        HostCheckingTrustManager(X509ExtendedTrustManager pkix) {
            this.pkix = pkix;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            pkix.checkServerTrusted(chain, authType);
            try {
                pkix.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw new CertificateHostMismatchException(e.getMessage(), e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("engines are not used here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the socket variant is always used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
