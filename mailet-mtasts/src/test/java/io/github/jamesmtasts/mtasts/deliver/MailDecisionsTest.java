package io.github.jamesmtasts.mtasts.deliver;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** {@link MailDecisions#plan}: the decisions made once per attempt give each MX host its plan. */
class MailDecisionsTest {

    private static final DomainName DOMAIN = name("example.com");
    private static final String MX = "mx1.example.com.";
    private static final PolicyDecision ENFORCE = PolicyDecision.policy(DOMAIN, "id1", StsPolicy.of(Mode.ENFORCE,
        Duration.ofDays(1), List.of(MxPattern.of("mx1.example.com")),
        List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com", "max_age: 86400")));
    private static final MailDecisions DECIDED = MailDecisions.of(Map.of(DOMAIN, ENFORCE), Map.of());

    static Stream<Arguments> rows() {
        return Stream.of(
            Arguments.of("A 5 decided domain: the MX check of its decision, recorded under it", DECIDED,
                Optional.of(DOMAIN), HostVerdict.Kind.REQUIRE_TLS, Optional.of(ENFORCE), Optional.of(Mode.ENFORCE)),
            Arguments.of("override testing: applied mode testing, still recorded",
                MailDecisions.of(Map.of(DOMAIN, ENFORCE), Map.of(DOMAIN, DomainOverride.TESTING)), Optional.of(DOMAIN),
                HostVerdict.Kind.OBSERVE_TLS, Optional.of(ENFORCE), Optional.of(Mode.TESTING)),
            Arguments.of("override disable: stock, nothing recorded",
                MailDecisions.of(Map.of(), Map.of(DOMAIN, DomainOverride.DISABLE)), Optional.of(DOMAIN),
                HostVerdict.Kind.STOCK, Optional.empty(), Optional.empty()),
            Arguments.of("A 5 address literal (no policy domain): stock", DECIDED, Optional.empty(),
                HostVerdict.Kind.STOCK, Optional.empty(), Optional.empty()),
            Arguments.of("never fail open: a domain this attempt did not decide is refused", DECIDED,
                Optional.of(name("other.example")), HostVerdict.Kind.REFUSE, Optional.empty(), Optional.empty()),
            Arguments.of("MTA-STS off: stock", MailDecisions.notApplied(), Optional.of(DOMAIN), HostVerdict.Kind.STOCK,
                Optional.empty(), Optional.empty()),
            Arguments.of("RFC 8460 5.3 / RFC 8689 opted out: TLS observed, nothing recorded",
                MailDecisions.optedOut("TLS-Required: No"), Optional.of(DOMAIN), HostVerdict.Kind.OBSERVE_TLS,
                Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void planShouldFollowFromTheAttemptsDecisions(String name, MailDecisions decisions, Optional<DomainName> policyDomain,
                                                  HostVerdict.Kind verdict, Optional<PolicyDecision> recordedUnder,
                                                  Optional<Mode> appliedMode) {
        HostPlan plan = decisions.plan(policyDomain, MX);

        assertThat(plan.verdict().kind()).isEqualTo(verdict);
        assertThat(plan.decision()).isEqualTo(recordedUnder);
        assertThat(plan.appliedMode()).isEqualTo(appliedMode);
        assertThat(plan.mxHost()).isEqualTo(MX);
    }
}
