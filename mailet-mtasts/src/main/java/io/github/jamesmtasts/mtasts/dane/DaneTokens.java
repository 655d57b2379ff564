package io.github.jamesmtasts.mtasts.dane;

import java.util.Locale;

/**
 * The tokens of the DANE states as operators see them ({@code mta-sts check --json}, the WebAdmin DANE view, logs):
 * the state's name in lower case with hyphens, e.g. {@code not-applicable}, {@code encrypt-only}, {@code secure}.
 * Scripts depend on them (docs/cli.md, docs/dane.md).
 */
public final class DaneTokens {

    private DaneTokens() {
    }

    public static String token(DaneDomain.Kind kind) {
        return of(kind);
    }

    public static String token(MxDane.Kind kind) {
        return of(kind);
    }

    public static String token(DnssecStatus status) {
        return of(status);
    }

    private static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
