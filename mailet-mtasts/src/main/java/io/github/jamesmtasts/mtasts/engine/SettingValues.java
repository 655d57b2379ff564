package io.github.jamesmtasts.mtasts.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.config.Durations;

import io.github.jamesmtasts.tlsrpt.store.Secrets;

/**
 * Reads typed values from configuration text; every error names the key, the bad value and what is accepted.
 * Blank values count as absent. Public for the settings of other packages read from the same file ({@code dane.*}).
 */
public final class SettingValues {


    private final Map<String, String> values;
    private final String source;

    public SettingValues(Map<String, String> values, String source) {
        this.values = Map.copyOf(values);
        this.source = source;
    }

    /** How the configuration is named in errors. */
    public String source() {
        return source;
    }

    public Optional<String> text(String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(key, value.get(), "a whole number from " + min + " to " + max);
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw error(key, value.get(), "true or false");
        }
    }

    /** Accepts {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 30d}, a bare number of seconds, or ISO-8601. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        Optional<Duration> parsed = Durations.parse(value.get());
        if (parsed.isPresent() && parsed.get().compareTo(min) >= 0 && parsed.get().compareTo(max) <= 0) {
            return parsed.get();
        }
        throw error(key, value.get(), "a duration from " + describe(min) + " to " + describe(max)
            + " such as " + Durations.EXAMPLES);
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.get())) {
                return constant;
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            accepted.append(accepted.length() == 0 ? "" : " or ").append(constant.name());
        }
        throw error(key, value.get(), accepted.toString());
    }

    public IllegalArgumentException error(String key, String value, String accepted) {
        // Never a password in a message: neither a password setting nor one written into a JDBC URL.
        String shown = key.toLowerCase(Locale.ROOT).contains("password") ? "(hidden)" : Secrets.mask(value);
        return new IllegalArgumentException(source + ": " + key + " = '" + shown + "' is invalid; use " + accepted);
    }

    static String describe(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toMillis() % 86_400_000L == 0) {
            return duration.toDays() + "d";
        }
        if (duration.toMillis() % 3_600_000L == 0) {
            return duration.toHours() + "h";
        }
        if (duration.toMillis() % 60_000L == 0) {
            return duration.toMinutes() + "m";
        }
        if (duration.toMillis() % 1000L == 0) {
            return duration.getSeconds() + "s";
        }
        return duration.toMillis() + "ms";
    }
}
