package io.github.jamesmtasts.mtasts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.testing.SmallStack;

/** H2 / RFC 8461 3.3 (F): a 64 KiB policy parses on a small stack; one character more is refused, not truncated. */
class StsPolicyParserBoundsTest {

    static String policyOfLength(int length) {
        StringBuilder body = new StringBuilder("version: STSv1\nmode: enforce\nmax_age: 86400\n");
        String mx = "mx: mx" + "a".repeat(50) + ".example.com\n";
        while (body.length() + mx.length() <= length) {
            body.append(mx);
        }
        body.append("x".repeat(length - body.length() - 1)).append(':');
        return body.toString();
    }

    @Test
    void policyOfExactly64KiBShouldParse() {
        String body = policyOfLength(StsPolicyParser.MAX_POLICY_LENGTH);

        StsPolicyParseResult result = SmallStack.call(() -> StsPolicyParser.parse(body));

        assertThat(body).hasSize(64 * 1024);
        assertThat(result.isValid()).as(result.reason().orElse("")).isTrue();
    }

    @Test
    void policyOneCharacterOver64KiBShouldBeRejected() {
        String body = policyOfLength(StsPolicyParser.MAX_POLICY_LENGTH + 1);

        StsPolicyParseResult result = SmallStack.call(() -> StsPolicyParser.parse(body));

        assertThat(result.isValid()).isFalse();
        assertThat(result.reason()).get().asString().contains("64 KiB", "shorten");
    }

    @Test
    void singleLineOf64KiBShouldBeInvalidWithABoundedReason() {
        String body = "version: STSv1\nmode: enforce\nmax_age: 86400\nmx: " + "a".repeat(64 * 1024 - 50);

        StsPolicyParseResult result = SmallStack.call(() -> StsPolicyParser.parse(body));

        assertThat(result.isValid()).isFalse();
        assertThat(result.reason().get().length()).isLessThan(400);
    }
}
