package io.github.jamesmtasts.mtasts.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TlsPlanTest {

    private static final boolean OPPORTUNISTIC = true;
    private static final boolean START_TLS = true;
    private static final boolean IMPLICIT_TLS = true;
    private static final boolean CREDENTIALS = true;

    private static SessionProbe failedHandshake() {
        SessionProbe probe = new SessionProbe();
        probe.markTlsStarted();
        return probe;
    }

    static Stream<Arguments> plans() {
        return Stream.of(
            row("RFC 7435 no policy: STARTTLS, any certificate, plaintext retry, certificate not a failure",
                HostVerdict.Kind.STOCK, OPPORTUNISTIC, START_TLS, !IMPLICIT_TLS, !CREDENTIALS,
                HostVerdict.Kind.OBSERVE_TLS, false, true),
            row("no policy, startTLS off: stock plaintext", HostVerdict.Kind.STOCK, OPPORTUNISTIC, !START_TLS,
                !IMPLICIT_TLS, !CREDENTIALS, HostVerdict.Kind.STOCK, false, false),
            row("no policy, opportunisticTls=false: stock strictness", HostVerdict.Kind.STOCK, !OPPORTUNISTIC, START_TLS,
                !IMPLICIT_TLS, !CREDENTIALS, HostVerdict.Kind.STOCK, false, false),
            row("no policy, gateway credentials: stock certificate check, never plaintext", HostVerdict.Kind.STOCK,
                OPPORTUNISTIC, START_TLS, !IMPLICIT_TLS, CREDENTIALS, HostVerdict.Kind.STOCK, false, false),
            row("A 5 testing: certificate problems reported, plaintext retry", HostVerdict.Kind.OBSERVE_TLS,
                OPPORTUNISTIC, !START_TLS, !IMPLICIT_TLS, !CREDENTIALS, HostVerdict.Kind.OBSERVE_TLS, true, true),
            row("A 5 testing, opportunisticTls=false: no plaintext retry", HostVerdict.Kind.OBSERVE_TLS,
                !OPPORTUNISTIC, START_TLS, !IMPLICIT_TLS, !CREDENTIALS, HostVerdict.Kind.OBSERVE_TLS, true, false),
            // The AUTH password must not reach a peer whose certificate was not checked: stock checks, as without
            // a policy, and no plaintext retry.
            row("A 5 testing with gateway credentials: stock certificate check before AUTH, no plaintext retry",
                HostVerdict.Kind.OBSERVE_TLS, OPPORTUNISTIC, START_TLS, !IMPLICIT_TLS, CREDENTIALS,
                HostVerdict.Kind.STOCK, false, false),
            row("testing over implicit TLS with gateway credentials: stock certificate check before AUTH",
                HostVerdict.Kind.OBSERVE_TLS, OPPORTUNISTIC, START_TLS, IMPLICIT_TLS, CREDENTIALS,
                HostVerdict.Kind.STOCK, false, false),
            row("testing over implicit TLS: port 465 has no plaintext", HostVerdict.Kind.OBSERVE_TLS, OPPORTUNISTIC,
                START_TLS, IMPLICIT_TLS, !CREDENTIALS, HostVerdict.Kind.OBSERVE_TLS, true, false),
            row("A 5 enforce: never opportunistic", HostVerdict.Kind.REQUIRE_TLS, OPPORTUNISTIC, START_TLS,
                !IMPLICIT_TLS, !CREDENTIALS, HostVerdict.Kind.REQUIRE_TLS, true, false));
    }

    private static Arguments row(String name, HostVerdict.Kind verdict, boolean opportunistic, boolean startTls,
                                 boolean implicitTls, boolean credentials, HostVerdict.Kind connectAs,
                                 boolean certificateProblemIsFailure, boolean plaintextRetry) {
        return Arguments.of(name, verdict, opportunistic, startTls, implicitTls, credentials, connectAs,
            certificateProblemIsFailure, plaintextRetry);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void forHostShouldFollowTheModeAndTheSettings(String name, HostVerdict.Kind verdict, boolean opportunistic,
                                                  boolean startTls, boolean implicitTls, boolean credentials,
                                                  HostVerdict.Kind connectAs, boolean certificateProblemIsFailure,
                                                  boolean plaintextRetry) {
        TlsPlan plan = TlsPlan.forHost(verdict, opportunistic, startTls, implicitTls, credentials);

        assertThat(plan.connectAs()).isEqualTo(connectAs);
        assertThat(plan.certificateProblemIsFailure()).isEqualTo(certificateProblemIsFailure);
        assertThat(plan.retriesInPlaintextAfter(failedHandshake())).isEqualTo(plaintextRetry);
    }

    @Test
    void plaintextRetryShouldFollowOnlyAHandshakeThatBeganAndDidNotComplete() {
        TlsPlan plan = TlsPlan.forHost(HostVerdict.Kind.STOCK, OPPORTUNISTIC, START_TLS, !IMPLICIT_TLS, !CREDENTIALS);
        SessionProbe beforeStartTls = new SessionProbe();
        SessionProbe afterTls = failedHandshake();
        afterTls.markTlsEstablished();

        // Refused or missing STARTTLS, a dropped greeting: the MX never began TLS, stock meaning applies.
        assertThat(plan.retriesInPlaintextAfter(beforeStartTls)).isFalse();
        // A failure after the handshake (e.g. EHLO over TLS refused) is no handshake failure.
        assertThat(plan.retriesInPlaintextAfter(afterTls)).isFalse();
        assertThat(plan.retriesInPlaintextAfter(failedHandshake())).isTrue();
    }

    @Test
    void aRefusedHostShouldHaveNoPlan() {
        assertThatThrownBy(() -> TlsPlan.forHost(HostVerdict.Kind.REFUSE, OPPORTUNISTIC, START_TLS, false, false))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutStartTlsShouldKeepEveryOtherPropertyIncludingDefaults() {
        Properties defaults = new Properties();
        defaults.setProperty("mail.smtp.localhost", "sender.test");
        Properties base = new Properties(defaults);
        base.setProperty("mail.smtp.starttls.enable", "true");
        base.setProperty("mail.smtp.timeout", "30000");

        Properties plain = TlsPlan.withoutStartTls(base);

        assertThat(plain.getProperty("mail.smtp.starttls.enable")).isEqualTo("false");
        assertThat(plain.getProperty("mail.smtp.starttls.required")).isEqualTo("false");
        assertThat(plain.get("mail.smtp.localhost")).isEqualTo("sender.test");
        assertThat(plain.get("mail.smtp.timeout")).isEqualTo("30000");
        assertThat(base.getProperty("mail.smtp.starttls.enable")).isEqualTo("true");
    }
}
