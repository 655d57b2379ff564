package io.github.jamesmtasts.mtasts.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.policy.StsPolicyParser;

class PolicyInternerTest {

    final PolicyInterner interner = new PolicyInterner();

    static StsPolicy policy(String mx) {
        return StsPolicyParser.parse(FakeFetcher.policyText("enforce", 604_800, mx)).policy().get();
    }

    @Test
    void sharedPolicyShouldEqualTheOriginalAndReuseCommonParts() {
        StsPolicy first = interner.share(policy("mx.one.test"));
        StsPolicy second = interner.share(policy("mx.two.test"));

        assertThat(first).isEqualTo(policy("mx.one.test"));
        assertThat(second.lines().get(0)).isSameAs(first.lines().get(0));
        assertThat(second.maxAge()).isSameAs(first.maxAge());
        assertThat(second.mx().get(0)).isNotSameAs(first.mx().get(0));
    }

    @Test
    void internerShouldStopRememberingNewPartsWhenFullButKeepSharingKnownOnes() {
        StsPolicy known = interner.share(policy("mx.known.test"));
        for (int i = 0; i < PolicyInterner.MAX_PARTS; i++) {
            interner.share(policy("mx" + i + ".test"));
        }

        StsPolicy late = interner.share(policy("mx.late.test"));

        assertThat(late.lines().get(0)).isSameAs(known.lines().get(0));
        assertThat(interner.share(policy("mx.late.test")).mx().get(0)).isNotSameAs(late.mx().get(0));
        assertThat(late).isEqualTo(policy("mx.late.test"));
    }
}
