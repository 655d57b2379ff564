package io.github.jamesmtasts.tlsrpt.testing;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** Domain names written in tests, where the text is known to be one. */
public final class TestNames {

    private TestNames() {
    }

    /** {@code text} as a {@link DomainName}; fails the test at once when it is none. */
    public static DomainName name(String text) {
        return DomainName.parse(text).orElseThrow(IllegalArgumentException::new);
    }
}
