package io.github.jamesmtasts.mtasts.policy;

import java.util.Arrays;
import java.util.Optional;

/** RFC 8461 3.2 {@code mode}. Tokens are case-sensitive. */
public enum Mode {
    ENFORCE("enforce"),
    TESTING("testing"),
    NONE("none");

    private final String token;

    Mode(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<Mode> fromToken(String token) {
        return Arrays.stream(values()).filter(m -> m.token.equals(token)).findFirst();
    }
}
