package io.github.jamesmtasts.mtasts.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.classify.StartTlsNotSupportedException;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/**
 * DANE in {@link MailDecisions#plan} ({@link DaneCheck} before {@link MxCheck}) and what {@link SessionResults#of}
 * records for DANE hosts: one row per rule.
 */
class DaneDecisionsTest {

    private static final DomainName DOMAIN = name("dane.example");
    private static final DomainName NAME = DomainName.of(DOMAIN.asString()).orElseThrow();
    private static final String MX_A = "mx-a.dane.example";
    private static final String MX_B = "mx-b.dane.example";
    private static final String MX_C = "mx-c.dane.example";
    private static final String MX_D = "mx-d.dane.example";
    private static final String STRANGER = "mx.attacker.test";
    private static final TlsaRecord EE = TlsaRecord.of(3, 1, 1, new byte[32]);
    private static final TlsaRecord PKIX_EE = TlsaRecord.of(1, 1, 1, new byte[32]);
    private static final MxDane B_AUTH = MxDane.secureTlsa(name(MX_B), name(MX_B), List.of(EE));
    private static final MxDane C_ENCRYPT = MxDane.secureTlsa(name(MX_C), name(MX_C), List.of(PKIX_EE));
    private static final MxDane D_BOGUS = MxDane.unusable(name(MX_D), ResultType.DNSSEC_INVALID, "TLSA answer bogus");
    private static final MxDane A_NONE = MxDane.notApplicable(name(MX_A), "TLSA RRset insecure");
    /** Secure MX RRset: mx-a without TLSA, mx-b DANE-EE, mx-c no usable record, mx-d bogus TLSA. */
    private static final DaneDomain SECURE = DaneDomain.secure(NAME, List.of(A_NONE, B_AUTH, C_ENCRYPT, D_BOGUS));
    private static final DaneDomain BOGUS = DaneDomain.unusable(NAME, ResultType.DNSSEC_INVALID, "MX answer bogus");
    private static final DaneDomain INSECURE = DaneDomain.notApplicable(NAME, "MX RRset insecure");
    /** Enforce, naming only mx-a. */
    private static final PolicyDecision ENFORCE_A = PolicyDecision.policy(DOMAIN, "id1", StsPolicy.of(Mode.ENFORCE,
        Duration.ofDays(1), List.of(MxPattern.of(MX_A)), List.of("version: STSv1", "mode: enforce", "mx: " + MX_A,
            "max_age: 86400")));
    private static final InetAddress MX_IP = ip("192.0.2.25");
    private static final InetAddress OUR_IP = ip("198.51.100.7");

    private static DomainName name(String text) {
        return DomainName.of(text).orElseThrow();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HostPlan plan(DaneDomain dane, boolean required, String mx) {
        return MailDecisions.of(Map.of(DOMAIN, ENFORCE_A), Map.of(), Map.of(DOMAIN, dane),
            required ? Set.of(DOMAIN) : Set.of()).plan(Optional.of(DOMAIN), mx);
    }

    private static ReportPolicy tlsa(String mx, TlsaRecord... records) {
        return ReportPolicy.of(PolicyType.TLSA, DOMAIN.asString(), Stream.of(records).map(TlsaRecord::presentation)
            .collect(java.util.stream.Collectors.toList()), List.of(mx));
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
            verdict("DP 3.1 usable TLSA records: authenticate, even where enforce names another MX (RFC 8461 2)",
                plan(SECURE, false, MX_B), HostVerdict.Kind.DANE_AUTHENTICATE, Optional.empty(), true),
            verdict("DP 2.2 secure TLSA RRset, none usable: STARTTLS without authentication",
                plan(SECURE, false, MX_C), HostVerdict.Kind.DANE_ENCRYPT_ONLY, Optional.empty(), true),
            verdict("DP 2.1.1 bogus TLSA answer: this host refused, dnssec-invalid", plan(SECURE, false, MX_D),
                HostVerdict.Kind.REFUSE, Optional.of(ResultType.DNSSEC_INVALID), true),
            verdict("DP 2.2 no secure TLSA: MTA-STS applies (enforce names mx-a)", plan(SECURE, false, MX_A),
                HostVerdict.Kind.REQUIRE_TLS, Optional.empty(), false),
            verdict("DP 2.2.1 host outside the validated MX RRset: refused, nothing recorded",
                plan(SECURE, false, STRANGER), HostVerdict.Kind.REFUSE, Optional.empty(), true),
            verdict("DP 2.2.1 bogus MX RRset: every host refused, dnssec-invalid", plan(BOGUS, false, MX_B),
                HostVerdict.Kind.REFUSE, Optional.of(ResultType.DNSSEC_INVALID), true),
            verdict("DP 2.2.1 insecure MX RRset: MTA-STS applies (mx-b outside enforce)", plan(INSECURE, false, MX_B),
                HostVerdict.Kind.REFUSE, Optional.of(ResultType.VALIDATION_FAILURE), false),
            verdict("DP 2.2 required, host without secure TLSA: dane-required", plan(SECURE, true, MX_A),
                HostVerdict.Kind.REFUSE, Optional.of(ResultType.DANE_REQUIRED), true),
            verdict("DP 2.2.1 required, insecure MX RRset: dane-required", plan(INSECURE, true, MX_A),
                HostVerdict.Kind.REFUSE, Optional.of(ResultType.DANE_REQUIRED), true),
            verdict("DP 2.2 required, host with TLSA records none usable: encrypt-only still passes",
                plan(SECURE, true, MX_C), HostVerdict.Kind.DANE_ENCRYPT_ONLY, Optional.empty(), true),
            verdict("DP 3.1 trailing dot and case of James's MX name do not matter", plan(SECURE, false, "MX-B.Dane.Example."),
                HostVerdict.Kind.DANE_AUTHENTICATE, Optional.empty(), true));
    }

    private static Arguments verdict(String name, HostPlan plan, HostVerdict.Kind kind, Optional<ResultType> failure,
                                     boolean byDane) {
        return Arguments.of(name, plan, kind, failure, byDane);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void daneShouldDecideTheHostBeforeMtaSts(String name, HostPlan plan, HostVerdict.Kind kind,
                                            Optional<ResultType> failure, boolean byDane) {
        assertThat(plan.verdict().kind()).isEqualTo(kind);
        assertThat(plan.verdict().failure().map(Classification::resultType)).isEqualTo(failure);
        assertThat(plan.byDane()).isEqualTo(byDane);
        // Never tallied for stale MTA-STS policies: DANE plans carry no MTA-STS decision.
        assertThat(plan.decision().isPresent()).isEqualTo(!byDane);
    }

    @Test
    void aDomainWithoutDaneShouldGetMtaStsOnly() {
        HostPlan plan = MailDecisions.of(Map.of(DOMAIN, ENFORCE_A), Map.of()).plan(Optional.of(DOMAIN), MX_B);

        assertThat(plan.byDane()).isFalse();
        assertThat(plan.verdict().kind()).isEqualTo(HostVerdict.Kind.REFUSE);
        assertThat(plan.toString()).doesNotContain("dane=");
    }

    @Test
    void aDisabledMtaStsDomainShouldStillGetDane() {
        MailDecisions decisions = MailDecisions.of(Map.of(), Map.of(DOMAIN, DomainOverride.DISABLE),
            Map.of(DOMAIN, SECURE), Set.of());

        assertThat(decisions.plan(Optional.of(DOMAIN), MX_B).verdict().kind()).isEqualTo(HostVerdict.Kind.DANE_AUTHENTICATE);
        assertThat(decisions.plan(Optional.of(DOMAIN), MX_A).verdict().kind()).isEqualTo(HostVerdict.Kind.STOCK);
    }

    @Test
    void theLogLineShouldNameTheDaneStateAndTheTlsaRecords() {
        assertThat(plan(SECURE, false, MX_B).toString()).isEqualTo("domain=dane.example dane=authenticate tlsa=["
            + EE + "] mx=" + MX_B + " verdict=DANE_AUTHENTICATE (DANE: 1 usable TLSA record(s) under _25._tcp." + MX_B + ")");
        assertThat(plan(SECURE, false, MX_A).toString()).startsWith("domain=dane.example policyId=id1 mode=enforce "
            + "dane=not-applicable mx=" + MX_A + " verdict=REQUIRE_TLS");
        assertThat(plan(SECURE, false, STRANGER).toString()).contains("dane=not-in-secure-mx-set mx=" + STRANGER
            + " verdict=REFUSE (DANE: MX " + STRANGER + " is not in the DNSSEC-validated MX RRset of dane.example [");
    }

    // What the session revealed.
    private static final Consumer<SessionProbe> NOTHING = probe -> { };
    private static final Consumer<SessionProbe> TLS_STARTED = probe -> {
        probe.connectedFrom(OUR_IP);
        probe.greeting("220 mx.announced.example ESMTP");
        probe.firstEhlo("250-mx.announced.example\r\n250 STARTTLS", true);
        probe.markTlsStarted();
    };
    private static final Consumer<SessionProbe> TLS_ESTABLISHED = TLS_STARTED.andThen(SessionProbe::markTlsEstablished);

    private static Optional<SessionResult> failure(ReportPolicy policy, Classification classification, String mx,
                                                   boolean connected) {
        FailureDetails.Builder details = classification.toDetails().receivingMxHostname(mx).receivingIp("192.0.2.25");
        if (connected) {
            details.sendingMtaIp("198.51.100.7").receivingMxHelo("mx.announced.example");
        }
        return Optional.of(SessionResult.failure(policy, details.build()));
    }

    static Stream<Arguments> sessions() {
        MessagingException noStartTls = new MessagingException("DANE: no TLS", new StartTlsNotSupportedException(
            MX_B + " did not offer STARTTLS in its EHLO reply"));
        return Stream.of(
            session("DR 4.4 DANE-authenticated session: success under the host's tlsa block", plan(SECURE, false, MX_B),
                TLS_ESTABLISHED, SessionEnd.established(true, true, true),
                Optional.of(SessionResult.success(tlsa(MX_B, EE)))),
            session("DR 4.4 encrypt-only session: success, the unusable records as policy-string",
                plan(SECURE, false, MX_C), TLS_ESTABLISHED, SessionEnd.established(true, true, false),
                Optional.of(SessionResult.success(tlsa(MX_C, PKIX_EE)))),
            session("DR 4.3.2.1 bogus TLSA: dnssec-invalid, no records", plan(SECURE, false, MX_D), NOTHING,
                SessionEnd.refused(), failure(tlsa(MX_D), Classification.of(ResultType.DNSSEC_INVALID), MX_D, false)),
            session("DR 4.3.2.1 bogus MX RRset: dnssec-invalid against the tlsa block", plan(BOGUS, false, MX_B), NOTHING,
                SessionEnd.refused(), failure(tlsa(MX_B), Classification.of(ResultType.DNSSEC_INVALID), MX_B, false)),
            session("DR 4.3.2.1 required without TLSA: dane-required", plan(SECURE, true, MX_A), NOTHING,
                SessionEnd.refused(), failure(tlsa(MX_A), Classification.of(ResultType.DANE_REQUIRED), MX_A, false)),
            session("DR 4.3.1 DANE host without STARTTLS: starttls-not-supported under tlsa", plan(SECURE, false, MX_B),
                TLS_STARTED, SessionEnd.failed(noStartTls), failure(tlsa(MX_B, EE),
                    Classification.of(ResultType.STARTTLS_NOT_SUPPORTED), MX_B, true)),
            session("DR 4.3 host outside the secure MX RRset: nothing recorded", plan(SECURE, false, STRANGER), NOTHING,
                SessionEnd.refused(), Optional.empty()),
            session("DR 4.4 host left to MTA-STS: recorded under the sts block", plan(SECURE, false, MX_A),
                TLS_ESTABLISHED, SessionEnd.established(true, true, true),
                Optional.of(SessionResult.success(ENFORCE_A.reportPolicy()))),
            session("DR 4.4 TCP connect failure of a DANE host: no session", plan(SECURE, false, MX_B), NOTHING,
                SessionEnd.failed(new MessagingException("no", new IOException("refused"))), Optional.empty()));
    }

    private static Arguments session(String name, HostPlan plan, Consumer<SessionProbe> revealed, SessionEnd end,
                                     Optional<SessionResult> expected) {
        return Arguments.of(name, plan, revealed, end, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessions")
    void daneSessionsShouldBeRecordedUnderTheTlsaPolicy(String name, HostPlan plan, Consumer<SessionProbe> revealed,
                                                        SessionEnd end, Optional<SessionResult> expected) {
        SessionProbe probe = new SessionProbe();
        revealed.accept(probe);

        assertThat(SessionResults.of(plan, Optional.of(MX_IP), probe, end)).isEqualTo(expected);
    }
}
