package io.github.jamesmtasts.mtasts.deliver;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.classify.StartTlsNotSupportedException;
import io.github.jamesmtasts.tlsrpt.classify.TlsFailureClassifier;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/** {@link SessionResults#of}: (plan, probe, end) -> what the session records, one row per rule. */
class SessionResultsTest {

    private static final DomainName DOMAIN = name("example.com");
    private static final String MX = "mx1.example.com";
    private static final String STRANGER = "mx.attacker.test";
    private static final InetAddress MX_IP = ip("192.0.2.25");
    private static final InetAddress OUR_IP = ip("198.51.100.7");
    private static final PolicyDecision ENFORCE = decision(Mode.ENFORCE);
    private static final PolicyDecision TESTING = decision(Mode.TESTING);
    private static final PolicyDecision NO_POLICY = PolicyDecision.noPolicy(DOMAIN);
    private static final PolicyDecision UNKNOWN = PolicyDecision.temporaryFailure(DOMAIN, "TXT lookup SERVFAIL");
    private static final Classification MISMATCH = Classification.of(ResultType.VALIDATION_FAILURE, MxCheck.MX_MISMATCH);
    private static final CertificateExpiredException EXPIRED = new CertificateExpiredException("NotAfter: yesterday");
    private static final MessagingException NO_STARTTLS = new MessagingException("MTA-STS: " + MX + " did not start TLS",
        new StartTlsNotSupportedException(MX + " did not offer STARTTLS in its EHLO reply"));
    private static final MessagingException CONNECT_REFUSED = new MessagingException("Cannot connect",
        new IOException("Connection refused"));

    private static PolicyDecision decision(Mode mode) {
        StsPolicy policy = StsPolicy.of(mode, Duration.ofDays(1), List.of(MxPattern.of(MX)),
            List.of("version: STSv1", "mode: " + mode.token(), "mx: " + MX, "max_age: 86400"));
        return PolicyDecision.policy(DOMAIN, "id1", policy);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HostPlan plan(PolicyDecision decision, String mx) {
        return MailDecisions.of(Map.of(DOMAIN, decision), Map.of()).plan(Optional.of(DOMAIN), mx);
    }

    private static HostPlan optedOut() {
        return MailDecisions.optedOut("TLS-RPT report mail").plan(Optional.of(DOMAIN), MX);
    }

    // What the session revealed.
    private static final Consumer<SessionProbe> NOTHING = probe -> { };
    private static final Consumer<SessionProbe> CONNECTED = probe -> {
        probe.connectedFrom(OUR_IP);
        probe.greeting("220 mx1.announced.example ESMTP");
    };
    private static final Consumer<SessionProbe> NO_STARTTLS_OFFERED = CONNECTED.andThen(probe -> {
        probe.step(SessionProbe.Step.EHLO);
        probe.firstEhlo("250-mx1.announced.example\r\n250 8BITMIME", false);
    });
    private static final Consumer<SessionProbe> TLS_STARTED = CONNECTED.andThen(probe -> {
        probe.firstEhlo("250-mx1.announced.example\r\n250 STARTTLS", true);
        probe.markTlsStarted();
    });
    private static final Consumer<SessionProbe> CERTIFICATE_PROBLEM_OBSERVED = TLS_STARTED.andThen(probe -> {
        probe.observedCertificateProblem(EXPIRED);
        probe.markTlsEstablished();
    });
    private static final Consumer<SessionProbe> TLS_ESTABLISHED = TLS_STARTED.andThen(SessionProbe::markTlsEstablished);

    private static Optional<SessionResult> success(PolicyDecision decision) {
        return Optional.of(SessionResult.success(decision.reportPolicy()));
    }

    /** A failure with the details RFC 8460 4.4 names; {@code connected}: our address and the MX's name are known. */
    private static Optional<SessionResult> failure(PolicyDecision decision, Classification classification, String mx,
                                                   boolean connected) {
        ReportPolicy policy = decision.reportPolicy();
        FailureDetails.Builder details = classification.toDetails().receivingMxHostname(mx).receivingIp("192.0.2.25");
        if (connected) {
            details.sendingMtaIp("198.51.100.7").receivingMxHelo("mx1.announced.example");
        }
        return Optional.of(SessionResult.failure(policy, details.build()));
    }

    private static Classification classified(Throwable failure) {
        return new TlsFailureClassifier().classify(failure);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
            row("A 5 enforce, TLS established: success", plan(ENFORCE, MX), TLS_ESTABLISHED,
                SessionEnd.established(true, true, true), success(ENFORCE)),
            row("A 5 enforce, MX outside the policy: refused, recorded with the MX and its address",
                plan(ENFORCE, STRANGER), NOTHING, SessionEnd.refused(), failure(ENFORCE, MISMATCH, STRANGER, false)),
            row("A 5 policy temporarily unknown: refused, not a session result", plan(UNKNOWN, MX), NOTHING,
                SessionEnd.refused(), Optional.empty()),
            row("H3 enforce, no STARTTLS offered: starttls-not-supported with the MX's EHLO name", plan(ENFORCE, MX),
                NO_STARTTLS_OFFERED, SessionEnd.failed(NO_STARTTLS), failure(ENFORCE, classified(NO_STARTTLS), MX, true)),
            row("RFC 8460 4.3 TCP connect failure: no session, nothing recorded", plan(ENFORCE, MX), NOTHING,
                SessionEnd.failed(CONNECT_REFUSED), Optional.empty()),
            row("I 7 enforce, handshake failed: the classified TLS failure", plan(ENFORCE, MX), TLS_STARTED,
                SessionEnd.failed(new MessagingException("Could not convert socket to TLS", new IOException(EXPIRED))),
                failure(ENFORCE, classified(new IOException(EXPIRED)), MX, true)),
            row("A 5 testing, certificate problem observed: recorded although delivered", plan(TESTING, MX),
                CERTIFICATE_PROBLEM_OBSERVED, SessionEnd.established(true, true, true),
                failure(TESTING, classified(EXPIRED), MX, true)),
            row("A 5 testing, MX outside the policy: the known mismatch wins over a clean session",
                plan(TESTING, STRANGER), TLS_ESTABLISHED, SessionEnd.established(true, true, true),
                failure(TESTING, MISMATCH, STRANGER, true)),
            row("A 5 testing, MX outside the policy and the session failed: still the known mismatch",
                plan(TESTING, STRANGER), TLS_STARTED, SessionEnd.failed(NO_STARTTLS),
                failure(TESTING, MISMATCH, STRANGER, true)),
            row("A 5 testing, plaintext although TLS was asked for: starttls-not-supported", plan(TESTING, MX),
                NO_STARTTLS_OFFERED, SessionEnd.established(false, true, true),
                failure(TESTING, Classification.of(ResultType.STARTTLS_NOT_SUPPORTED), MX, true)),
            row("no policy, startTLS on, TLS established: success under no-policy-found", plan(NO_POLICY, MX),
                TLS_ESTABLISHED, SessionEnd.established(true, true, true), success(NO_POLICY)),
            row("RFC 7435 no policy, certificate problem observed on a negotiated session: success (not checked)",
                plan(NO_POLICY, MX), CERTIFICATE_PROBLEM_OBSERVED, SessionEnd.established(true, true, false),
                success(NO_POLICY)),
            row("A 5 testing, certificate problem observed, certificate checked: recorded", plan(TESTING, MX),
                CERTIFICATE_PROBLEM_OBSERVED, SessionEnd.established(true, true, true),
                failure(TESTING, classified(EXPIRED), MX, true)),
            row("no policy, plaintext and no TLS asked for: success", plan(NO_POLICY, MX), CONNECTED,
                SessionEnd.established(false, false, true), success(NO_POLICY)),
            row("RFC 8460 5.3 report mail (opted out): nothing recorded, even for a failure", optedOut(), TLS_STARTED,
                SessionEnd.failed(NO_STARTTLS), Optional.empty()),
            row("opted out, delivered: nothing recorded", optedOut(), TLS_ESTABLISHED,
                SessionEnd.established(true, true, true), Optional.empty()));
    }

    private static Arguments row(String name, HostPlan plan, Consumer<SessionProbe> revealed, SessionEnd end,
                                 Optional<SessionResult> expected) {
        return Arguments.of(name, plan, revealed, end, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void sessionResultShouldFollowFromPlanProbeAndEnd(String name, HostPlan plan, Consumer<SessionProbe> revealed,
                                                      SessionEnd end, Optional<SessionResult> expected) {
        SessionProbe probe = new SessionProbe();
        revealed.accept(probe);

        assertThat(SessionResults.of(plan, Optional.of(MX_IP), probe, end)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void withoutAnMxAddressNothingShouldBeRecordedButSuccesses(String name, HostPlan plan, Consumer<SessionProbe> revealed,
                                                              SessionEnd end, Optional<SessionResult> expected) {
        SessionProbe probe = new SessionProbe();
        revealed.accept(probe);

        // receiving-ip is required in failure details: no address, no failure row (a success needs none).
        assertThat(SessionResults.of(plan, Optional.empty(), probe, end))
            .isEqualTo(expected.filter(SessionResult::isSuccess));
    }
}
