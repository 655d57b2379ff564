package io.github.jamesmtasts.mtasts.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/**
 * RFC 7672 3 against real certificates: every row builds a presented chain from {@link TestPki} certificates and TLSA
 * records computed independently of the matcher (the SubjectPublicKeyInfo through Bouncy Castle), and states the
 * outcome: matched at a depth, or the RFC 8460 result type and reason code of the refusal.
 */
class TlsaMatcherTest {

    private static final String MX = "mx.dane.example";
    private static final String CNAME_TARGET = "mail.hoster.example";
    private static final Instant NOW = Instant.now();
    private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(400));
    private static final Instant YESTERDAY = NOW.minus(Duration.ofDays(1));
    private static final Instant TOMORROW = NOW.plus(Duration.ofDays(1));

    private static final TestPki ROOT = TestPki.create("DANE test root");
    private static final TestPki INTERMEDIATE = ROOT.intermediate("DANE test intermediate");
    private static final TestPki OTHER_ROOT = TestPki.create("DANE other root");
    /** Same subject name as {@link #INTERMEDIATE}, another key: its certificates do not chain to INTERMEDIATE. */
    private static final TestPki IMPOSTOR = ROOT.intermediate("DANE test intermediate");
    private static final TestPki EXPIRED_INTERMEDIATE = ROOT.intermediate("DANE expired intermediate", LONG_AGO,
        YESTERDAY);
    private static final TestPki NOT_A_CA = ROOT.notCaIntermediate("DANE leaf used as a CA");

    private static final TestPki.ServerCertificate LEAF = INTERMEDIATE.issue(MX);
    private static final TestPki.ServerCertificate OTHER_LEAF = INTERMEDIATE.issue(MX);
    private static final TestPki.ServerCertificate EXPIRED_LEAF = INTERMEDIATE.issue(LONG_AGO, YESTERDAY, MX);
    private static final TestPki.ServerCertificate FUTURE_LEAF = INTERMEDIATE.issue(TOMORROW,
        NOW.plus(Duration.ofDays(30)), MX);
    private static final TestPki.ServerCertificate OTHER_NAME_LEAF = INTERMEDIATE.issue("mx.elsewhere.example");
    private static final TestPki.ServerCertificate CNAME_TARGET_LEAF = INTERMEDIATE.issue(CNAME_TARGET);
    private static final TestPki.ServerCertificate WILDCARD_LEAF = INTERMEDIATE.issue("*.dane.example");
    private static final TestPki.ServerCertificate DEEP_WILDCARD_LEAF = INTERMEDIATE.issue("*.example");
    private static final TestPki.ServerCertificate PARTIAL_WILDCARD_LEAF = INTERMEDIATE.issue("m*.dane.example");
    private static final TestPki.ServerCertificate CN_ONLY_LEAF = INTERMEDIATE.issueCnOnly(MX);
    private static final TestPki.ServerCertificate IMPOSTOR_LEAF = IMPOSTOR.issue(MX);
    private static final TestPki.ServerCertificate UNDER_EXPIRED = EXPIRED_INTERMEDIATE.issue(MX);
    private static final TestPki.ServerCertificate UNDER_NOT_A_CA = NOT_A_CA.issue(MX);
    private static final TestPki.ServerCertificate SELF_ISSUED_ELSEWHERE = OTHER_ROOT.issue("other.example");

    // --- TLSA records computed outside the matcher ---

    private static byte[] spki(X509Certificate certificate) {
        try {
            return new JcaX509CertificateHolder(certificate).getSubjectPublicKeyInfo().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] full(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TlsaRecord tlsa(int usage, int selector, int matchingType, X509Certificate certificate) {
        byte[] selected = selector == 0 ? full(certificate) : spki(certificate);
        byte[] data = matchingType == 0 ? selected
            : digest(matchingType == 1 ? "SHA-256" : "SHA-512", selected);
        return TlsaRecord.of(usage, selector, matchingType, data);
    }

    private static X509Certificate[] chain(TestPki.ServerCertificate server) {
        return server.chain();
    }

    private static X509Certificate[] chain(X509Certificate... certificates) {
        return certificates;
    }

    /** leaf, {@code padding} unrelated CA certificates, then {@code top}. */
    private static X509Certificate[] padded(int padding, X509Certificate top) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(LEAF.certificate());
        for (int i = 0; i < padding; i++) {
            chain.add(OTHER_ROOT.caCertificate());
        }
        chain.add(top);
        return chain.toArray(new X509Certificate[0]);
    }

    private static Arguments matched(String name, X509Certificate[] chain, List<TlsaRecord> records, int depth,
                                     int recordIndex) {
        return arguments(name, chain, records, NOW, Optional.of(records.get(recordIndex)), depth, Optional.empty(),
            Optional.empty());
    }

    private static Arguments refused(String name, X509Certificate[] chain, List<TlsaRecord> records, ResultType type,
                                     String code) {
        return refusedAt(name, chain, records, NOW, type, code);
    }

    private static Arguments refusedAt(String name, X509Certificate[] chain, List<TlsaRecord> records, Instant at,
                                       ResultType type, String code) {
        return arguments(name, chain, records, at, Optional.empty(), -1, Optional.of(type), Optional.ofNullable(code));
    }

    static Stream<Arguments> chains() {
        X509Certificate leaf = LEAF.certificate();
        X509Certificate intermediate = INTERMEDIATE.caCertificate();
        X509Certificate root = ROOT.caCertificate();
        String noMatch = TlsaMatcher.NO_MATCH;
        return Stream.of(
            // DANE-EE(3): the leaf alone, every selector and matching type
            matched("DA 3.1.1 EE Cert(0) Full(0)", chain(LEAF), List.of(tlsa(3, 0, 0, leaf)), 0, 0),
            matched("DA 3.1.1 EE Cert(0) SHA2-256(1)", chain(LEAF), List.of(tlsa(3, 0, 1, leaf)), 0, 0),
            matched("DA 3.1.1 EE Cert(0) SHA2-512(2)", chain(LEAF), List.of(tlsa(3, 0, 2, leaf)), 0, 0),
            matched("DA 3.1.1 EE SPKI(1) Full(0)", chain(LEAF), List.of(tlsa(3, 1, 0, leaf)), 0, 0),
            matched("DA 3.1.1 EE SPKI(1) SHA2-256(1)", chain(LEAF), List.of(tlsa(3, 1, 1, leaf)), 0, 0),
            matched("DA 3.1.1 EE SPKI(1) SHA2-512(2)", chain(LEAF), List.of(tlsa(3, 1, 2, leaf)), 0, 0),
            matched("DA 3.1.1 EE matches a leaf presented alone", chain(leaf), List.of(tlsa(3, 1, 1, leaf)), 0, 0),
            matched("DA 3.1.1 EE matches a self-signed-style chain from an unknown CA",
                chain(SELF_ISSUED_ELSEWHERE), List.of(tlsa(3, 1, 1, SELF_ISSUED_ELSEWHERE.certificate())), 0, 0),
            matched("DA 3.1.1 EE expired leaf still matches", chain(EXPIRED_LEAF),
                List.of(tlsa(3, 1, 1, EXPIRED_LEAF.certificate())), 0, 0),
            matched("DA 3.1.1 EE not yet valid leaf still matches", chain(FUTURE_LEAF),
                List.of(tlsa(3, 0, 1, FUTURE_LEAF.certificate())), 0, 0),
            matched("DA 3.2.1 EE has no name check", chain(OTHER_NAME_LEAF),
                List.of(tlsa(3, 1, 1, OTHER_NAME_LEAF.certificate())), 0, 0),
            matched("DA 3.2.1 EE has no chain check (broken chain behind the leaf)", chain(IMPOSTOR_LEAF.certificate(),
                intermediate, root), List.of(tlsa(3, 1, 1, IMPOSTOR_LEAF.certificate())), 0, 0),
            matched("DA 3.1.1 EE SPKI matches a new certificate for the same key",
                chain(LEAF), List.of(TlsaRecord.of(3, 1, 1, digest("SHA-256", leaf.getPublicKey().getEncoded()))),
                0, 0),
            refused("DA 3.1.1 EE of another key", chain(LEAF), List.of(tlsa(3, 1, 1, OTHER_LEAF.certificate())),
                ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1.1 EE record for the intermediate does not match the leaf", chain(LEAF),
                List.of(tlsa(3, 1, 1, intermediate)), ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1.1 EE digest of the certificate used as if of the key", chain(LEAF),
                List.of(TlsaRecord.of(3, 1, 1, tlsa(3, 0, 1, leaf).data())), ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1.1 EE SHA2-256 data published as SHA2-512 type", chain(LEAF),
                List.of(TlsaRecord.of(3, 1, 2, tlsa(3, 1, 1, leaf).data())), ResultType.TLSA_INVALID, noMatch),
            // rollover: any usable record is enough
            matched("DA 3.1 rollover: old and new EE key, the new one matches", chain(LEAF),
                List.of(tlsa(3, 1, 1, OTHER_LEAF.certificate()), tlsa(3, 1, 1, leaf)), 0, 1),
            matched("DA 3.1 rollover: the old key still presented matches the old record", chain(OTHER_LEAF),
                List.of(tlsa(3, 1, 1, OTHER_LEAF.certificate()), tlsa(3, 1, 1, leaf)), 0, 0),
            matched("DA 3.1 rollover: new TA beside the EE record", chain(LEAF),
                List.of(tlsa(3, 1, 1, OTHER_LEAF.certificate()), tlsa(2, 1, 1, intermediate)), 1, 1),
            matched("DA 3.1 rollover: old CA and new CA", chain(LEAF),
                List.of(tlsa(2, 0, 1, OTHER_ROOT.caCertificate()), tlsa(2, 0, 1, root)), 2, 1),
            // unusable records are ignored
            refused("DA 3.1.3 PKIX-EE(1) for the leaf does not authenticate", chain(LEAF),
                List.of(tlsa(1, 1, 1, leaf)), ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1.3 PKIX-TA(0) for the root does not authenticate", chain(LEAF),
                List.of(tlsa(0, 0, 1, root)), ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1 unknown matching type is ignored", chain(LEAF),
                List.of(TlsaRecord.of(3, 1, 3, tlsa(3, 1, 1, leaf).data())), ResultType.TLSA_INVALID, noMatch),
            matched("DA 3.1.3 a usable record beside unusable ones matches", chain(LEAF),
                List.of(tlsa(1, 1, 1, leaf), tlsa(0, 0, 1, root), tlsa(3, 1, 2, leaf)), 0, 2),
            // DANE-TA(2): intermediate or root in the presented chain, then path, dates, names
            matched("DA 3.1.2 TA intermediate Cert(0) SHA2-256(1)", chain(LEAF), List.of(tlsa(2, 0, 1, intermediate)),
                1, 0),
            matched("DA 3.1.2 TA intermediate SPKI(1) SHA2-256(1)", chain(LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), 1, 0),
            matched("DA 3.1.2 TA intermediate SPKI(1) SHA2-512(2)", chain(LEAF),
                List.of(tlsa(2, 1, 2, intermediate)), 1, 0),
            matched("DA 3.1.2 TA intermediate Cert(0) Full(0)", chain(LEAF), List.of(tlsa(2, 0, 0, intermediate)),
                1, 0),
            matched("DA 3.1.2 TA root Cert(0) SHA2-256(1)", chain(LEAF), List.of(tlsa(2, 0, 1, root)), 2, 0),
            matched("DA 3.1.2 TA root SPKI(1) Full(0)", chain(LEAF), List.of(tlsa(2, 1, 0, root)), 2, 0),
            matched("DA 3.1.2 TA root Cert(0) SHA2-512(2)", chain(LEAF), List.of(tlsa(2, 0, 2, root)), 2, 0),
            matched("DA 3.1.2 TA chain sent in reverse order", chain(leaf, root, intermediate),
                List.of(tlsa(2, 0, 1, root)), 1, 0),
            matched("DA 3.1.2 TA chain with extraneous certificates and the impostor before the real intermediate",
                chain(leaf, OTHER_ROOT.caCertificate(), IMPOSTOR.caCertificate(), root, intermediate),
                List.of(tlsa(2, 0, 1, root)), 3, 0),
            refused("DA 3.1.2 TA not sent by the server is not found", chain(leaf, intermediate),
                List.of(tlsa(2, 0, 1, root)), ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1.2 TA record matching only the leaf does not authenticate", chain(LEAF),
                List.of(tlsa(2, 1, 1, leaf)), ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1.2 TA of another CA", chain(LEAF), List.of(tlsa(2, 1, 1, OTHER_ROOT.caCertificate())),
                ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1.2 TA impostor intermediate of the same name does not sign the leaf",
                chain(IMPOSTOR_LEAF.certificate(), intermediate, root), List.of(tlsa(2, 1, 1, intermediate)),
                ResultType.CERTIFICATE_NOT_TRUSTED, "dane-ta-path-invalid-signature"),
            refused("DA 3.1.2 TA over a certificate that is not a CA", chain(UNDER_NOT_A_CA),
                List.of(tlsa(2, 0, 1, root)), ResultType.CERTIFICATE_NOT_TRUSTED, "dane-ta-path-not-ca-cert"),
            refused("DA 3.1.2 TA record naming a certificate that is not a CA", chain(UNDER_NOT_A_CA),
                List.of(tlsa(2, 1, 1, NOT_A_CA.caCertificate())), ResultType.CERTIFICATE_NOT_TRUSTED,
                "dane-ta-path-not-ca-cert"),
            refused("DA 3.1.2 TA root with the intermediate missing from the chain", chain(leaf, root),
                List.of(tlsa(2, 0, 1, root)), ResultType.CERTIFICATE_NOT_TRUSTED, "dane-ta-path-no-trust-anchor"),
            refused("DA 3.1.2 TA chain with the leaf expired", chain(EXPIRED_LEAF),
                List.of(tlsa(2, 1, 1, intermediate)),
                ResultType.CERTIFICATE_EXPIRED, null),
            refused("DA 3.1.2 TA chain with the leaf not yet valid", chain(FUTURE_LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), ResultType.CERTIFICATE_EXPIRED, "certificate-not-yet-valid"),
            refused("DA 3.1.2 TA root over an expired intermediate", chain(UNDER_EXPIRED), List.of(tlsa(2, 0, 1, root)),
                ResultType.CERTIFICATE_EXPIRED, null),
            refused("DA 3.1.2 TA Cert(0) pins an expired intermediate certificate", chain(UNDER_EXPIRED),
                List.of(tlsa(2, 0, 1, EXPIRED_INTERMEDIATE.caCertificate())), ResultType.CERTIFICATE_EXPIRED, null),
            matched("DA 3.1.2 TA SPKI(1) pins only the key of an expired intermediate certificate",
                chain(UNDER_EXPIRED), List.of(tlsa(2, 1, 1, EXPIRED_INTERMEDIATE.caCertificate())), 1, 0),
            refusedAt("DA 3.1.2 TA chain checked at the given time, not the wall clock", chain(LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), NOW.plus(Duration.ofDays(400)), ResultType.CERTIFICATE_EXPIRED,
                null),
            refused("DA 3.2.2 TA leaf naming another host", chain(OTHER_NAME_LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), ResultType.CERTIFICATE_HOST_MISMATCH, null),
            matched("DA 3.2.3 TA leaf naming the TLSA base domain", chain(CNAME_TARGET_LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), 1, 0),
            matched("DA 3.2.3 TA leaf with a left-most wildcard", chain(WILDCARD_LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), 1, 0),
            refused("DA 3.2.3 TA wildcard covers one label only", chain(DEEP_WILDCARD_LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), ResultType.CERTIFICATE_HOST_MISMATCH, null),
            refused("DA 3.2.3 TA partial-label wildcard does not match", chain(PARTIAL_WILDCARD_LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), ResultType.CERTIFICATE_HOST_MISMATCH, null),
            refused("DA 3.2.3 TA leaf naming the host only in its CN", chain(CN_ONLY_LEAF),
                List.of(tlsa(2, 1, 1, intermediate)), ResultType.CERTIFICATE_HOST_MISMATCH, null),
            matched("DA 3.2.2 TA name mismatch under one anchor, EE match by another record", chain(OTHER_NAME_LEAF),
                List.of(tlsa(2, 1, 1, intermediate), tlsa(3, 1, 1, OTHER_NAME_LEAF.certificate())), 0, 1),
            refused("DA 3.1.2 TA the failure that got furthest is reported (host mismatch over broken path)",
                chain(OTHER_NAME_LEAF.certificate(), intermediate, OTHER_ROOT.caCertificate(), root),
                List.of(tlsa(2, 0, 1, OTHER_ROOT.caCertificate()), tlsa(2, 1, 1, intermediate)),
                ResultType.CERTIFICATE_HOST_MISMATCH, null),
            // bounds
            refused("H2 TA at index 10, past the chain bound, is not looked at", padded(9, intermediate),
                List.of(tlsa(2, 1, 1, intermediate)), ResultType.TLSA_INVALID, noMatch),
            matched("H2 TA at index 9, within the chain bound, is looked at", padded(8, intermediate),
                List.of(tlsa(2, 1, 1, intermediate)), 9, 0),
            matched("H2 EE still matches the leaf of a chain of 1000 certificates", padded(998, root),
                List.of(tlsa(3, 1, 1, leaf)), 0, 0),
            refused("DA 3.1 empty chain", new X509Certificate[0], List.of(tlsa(3, 1, 1, leaf)),
                ResultType.TLSA_INVALID, noMatch),
            refused("DA 3.1 no usable record at all", chain(LEAF), List.of(), ResultType.TLSA_INVALID, noMatch));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void matchShouldFollowRfc7672Section3(String rule, X509Certificate[] chain, List<TlsaRecord> records, Instant at,
                                          Optional<TlsaRecord> record, int depth, Optional<ResultType> failure,
                                          Optional<String> code) {
        DaneMatch result = TlsaMatcher.match(chain, records, DomainName.of(MX).orElseThrow(),
            DomainName.of(CNAME_TARGET).orElseThrow(), at);

        assertThat(result.record()).as(result.toString()).isEqualTo(record);
        assertThat(result.isMatch()).isEqualTo(record.isPresent());
        assertThat(result.depth()).as(result.toString()).isEqualTo(depth);
        assertThat(result.failure()).as(result.toString()).isEqualTo(failure);
        assertThat(result.failureReasonCode()).as(result.toString()).isEqualTo(code);
        assertThat(result.detail()).contains(MX);
    }

    @Test
    void matchShouldTakeTheHostsUsableRecordsAndBothReferenceIdentifiers() {
        DomainName mx = DomainName.of(MX).orElseThrow();
        MxDane host = MxDane.secureTlsa(mx, DomainName.of(CNAME_TARGET).orElseThrow(),
            List.of(tlsa(0, 0, 1, ROOT.caCertificate()), tlsa(2, 1, 1, INTERMEDIATE.caCertificate())));

        assertThat(TlsaMatcher.match(chain(CNAME_TARGET_LEAF), host, NOW).isMatch()).isTrue();
        assertThat(TlsaMatcher.match(chain(LEAF), host, NOW).isMatch()).isTrue();
        assertThat(TlsaMatcher.match(chain(OTHER_NAME_LEAF), host, NOW).failure())
            .contains(ResultType.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void refusalShouldNameTheHostAndWhatToFix() {
        DaneMatch result = TlsaMatcher.match(chain(LEAF), List.of(tlsa(3, 1, 1, OTHER_LEAF.certificate())),
            DomainName.of(MX).orElseThrow(), DomainName.of(MX).orElseThrow(), NOW);

        assertThat(result.detail()).contains(MX).contains("matches none of its 1 usable TLSA records")
            .contains("publish TLSA records");
    }

    @Test
    void spkiShouldBeTheCertificatesOwnBytes() throws Exception {
        for (X509Certificate certificate : Arrays.asList(LEAF.certificate(), ROOT.caCertificate())) {
            assertThat(SubjectPublicKeyInfo.of(certificate)).isEqualTo(spki(certificate));
        }
    }
}
