package io.github.jamesmtasts.mtasts.deliver;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

class MxCheckTest {

    private static final Classification MISMATCH = Classification.of(ResultType.VALIDATION_FAILURE, MxCheck.MX_MISMATCH);

    private static PolicyDecision policy(Mode mode) {
        StsPolicy policy = StsPolicy.of(mode, Duration.ofDays(7),
            List.of(MxPattern.of("mx1.example.com"), MxPattern.of("*.backup.example.com")),
            List.of("version: STSv1", "mode: " + mode.token(), "mx: mx1.example.com", "mx: *.backup.example.com",
                "max_age: 604800"));
        return PolicyDecision.policy(name("example.com"), "20240101", policy);
    }

    private static PolicyDecision policyFor(String mx) {
        StsPolicy policy = StsPolicy.of(Mode.ENFORCE, Duration.ofDays(7), List.of(MxPattern.of(mx)),
            List.of("version: STSv1", "mode: enforce", "mx: " + mx, "max_age: 604800"));
        return PolicyDecision.policy(name("example.com"), "20240101", policy);
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
            row("A 5 enforce + matching MX requires TLS", policy(Mode.ENFORCE), Optional.empty(), "mx1.example.com.",
                HostVerdict.Kind.REQUIRE_TLS, Optional.empty()),
            row("M 4.1 enforce + wildcard MX of one label requires TLS", policy(Mode.ENFORCE), Optional.empty(),
                "b1.backup.example.com", HostVerdict.Kind.REQUIRE_TLS, Optional.empty()),
            row("A 5 enforce + MX matching no pattern is refused", policy(Mode.ENFORCE), Optional.empty(),
                "mx.attacker.test", HostVerdict.Kind.REFUSE, Optional.of(MISMATCH)),
            row("M 4.1 enforce + wildcard spanning two labels is refused", policy(Mode.ENFORCE), Optional.empty(),
                "a.b.backup.example.com", HostVerdict.Kind.REFUSE, Optional.of(MISMATCH)),
            row("M 4.1 enforce + MX in upper case with root dot requires TLS", policy(Mode.ENFORCE), Optional.empty(),
                "MX1.Example.COM.", HostVerdict.Kind.REQUIRE_TLS, Optional.empty()),
            row("T 3.1 enforce + U-label MX matches its A-label pattern", policyFor("mx.xn--bcher-kva.example"),
                Optional.empty(), "MX.B\u00fccher.example", HostVerdict.Kind.REQUIRE_TLS, Optional.empty()),
            row("A 3.4 enforce + IP literal MX is refused", policy(Mode.ENFORCE), Optional.empty(), "[192.0.2.1]",
                HostVerdict.Kind.REFUSE, Optional.of(MISMATCH)),
            row("A 3.4 enforce + bare IPv4 MX is refused", policy(Mode.ENFORCE), Optional.empty(), "192.0.2.1",
                HostVerdict.Kind.REFUSE, Optional.of(MISMATCH)),
            row("T 3.1 enforce + MX with an over-long label is refused", policy(Mode.ENFORCE), Optional.empty(),
                "a".repeat(64) + ".backup.example.com", HostVerdict.Kind.REFUSE, Optional.of(MISMATCH)),
            row("M 4.1 enforce + MX with an empty left label never matches a wildcard", policy(Mode.ENFORCE),
                Optional.empty(), ".backup.example.com", HostVerdict.Kind.REFUSE, Optional.of(MISMATCH)),
            row("A 5 testing + matching MX delivers observing TLS", policy(Mode.TESTING), Optional.empty(),
                "mx1.example.com", HostVerdict.Kind.OBSERVE_TLS, Optional.empty()),
            row("A 5 testing + MX matching no pattern delivers and records the mismatch", policy(Mode.TESTING),
                Optional.empty(), "mx.other.test", HostVerdict.Kind.OBSERVE_TLS, Optional.of(MISMATCH)),
            row("A 5 none delivers as stock", policy(Mode.NONE), Optional.empty(), "mx.other.test",
                HostVerdict.Kind.STOCK, Optional.empty()),
            row("F 3.3 no policy delivers as stock", PolicyDecision.noPolicy(name("example.com")), Optional.empty(),
                "mx.other.test", HostVerdict.Kind.STOCK, Optional.empty()),
            row("A 5 unknown policy (temporary failure) refuses the host, nothing to record",
                PolicyDecision.temporaryFailure(name("example.com"), "SERVFAIL"), Optional.empty(), "mx1.example.com",
                HostVerdict.Kind.REFUSE, Optional.empty()),
            row("override testing softens an enforce policy", policy(Mode.ENFORCE), Optional.of(DomainOverride.TESTING),
                "mx.other.test", HostVerdict.Kind.OBSERVE_TLS, Optional.of(MISMATCH)),
            row("override enforce hardens a testing policy", policy(Mode.TESTING), Optional.of(DomainOverride.ENFORCE),
                "mx.other.test", HostVerdict.Kind.REFUSE, Optional.of(MISMATCH)),
            row("override disable delivers as stock", policy(Mode.ENFORCE), Optional.of(DomainOverride.DISABLE),
                "mx.other.test", HostVerdict.Kind.STOCK, Optional.empty()),
            row("override enforce without a published policy has nothing to apply",
                PolicyDecision.noPolicy(name("example.com")), Optional.of(DomainOverride.ENFORCE), "mx.other.test",
                HostVerdict.Kind.STOCK, Optional.empty()),
            row("override never hides a temporary failure",
                PolicyDecision.temporaryFailure(name("example.com"), "fetch timeout"), Optional.of(DomainOverride.TESTING),
                "mx1.example.com", HostVerdict.Kind.REFUSE, Optional.empty()));
    }

    private static Arguments row(String name, PolicyDecision decision, Optional<DomainOverride> override, String mx,
                                 HostVerdict.Kind kind, Optional<Classification> failure) {
        return Arguments.of(name, decision, override, mx, kind, failure);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void checkShouldDecidePerHost(String name, PolicyDecision decision, Optional<DomainOverride> override, String mx,
                                  HostVerdict.Kind kind, Optional<Classification> failure) {
        HostVerdict verdict = MxCheck.check(decision, override, mx);

        assertThat(verdict.kind()).isEqualTo(kind);
        assertThat(verdict.failure()).isEqualTo(failure);
    }

    @Test
    void refusalShouldSayWhyAnMxNameIsNone() {
        HostVerdict verdict = MxCheck.check(policy(Mode.ENFORCE), Optional.empty(), "[192.0.2.1]\r\nX");

        assertThat(verdict.reason()).startsWith("enforce: MX '[192.0.2.1]")
            .contains("is not a domain name: it is an address literal").contains("matches no mx pattern of example.com")
            .doesNotContain("\r").doesNotContain("\n");
    }
}
