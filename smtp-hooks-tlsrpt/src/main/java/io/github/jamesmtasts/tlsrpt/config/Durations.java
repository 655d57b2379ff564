package io.github.jamesmtasts.tlsrpt.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every setting of the extension (conf/mta-sts.properties and our mailet parameters):
 * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 30d}, a bare number of seconds, or ISO-8601 ({@code PT4H}).
 */
public final class Durations {

    /** What error messages show as accepted forms. */
    public static final String EXAMPLES = "500ms, 30s, 5m, 4h, 30d or PT4H";

    private static final Pattern SIMPLE = Pattern.compile("([0-9]{1,9})\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /** @return the duration, or empty when {@code text} is not one (never throws) */
    public static Optional<Duration> parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        Matcher simple = SIMPLE.matcher(lower);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            String unit = simple.group(2) == null ? "s" : simple.group(2);
            switch (unit) {
                case "ms":
                    return Optional.of(Duration.ofMillis(amount));
                case "m":
                    return Optional.of(Duration.ofMinutes(amount));
                case "h":
                    return Optional.of(Duration.ofHours(amount));
                case "d":
                    return Optional.of(Duration.ofDays(amount));
                default:
                    return Optional.of(Duration.ofSeconds(amount));
            }
        }
        try {
            return Optional.of(Duration.parse(lower.toUpperCase(Locale.ROOT)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
