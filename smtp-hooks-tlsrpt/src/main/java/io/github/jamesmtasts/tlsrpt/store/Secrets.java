package io.github.jamesmtasts.tlsrpt.store;

import java.util.regex.Pattern;

/**
 * Hides passwords in text bound for logs, exception messages and WebAdmin bodies: JDBC URL parameters whose name
 * ends in {@code password} ({@code password=}, {@code sslpassword=}, ...) and the password of {@code user:password@}
 * in a URL. Everything else stays readable, so the operator still sees which server and database are meant.
 */
public final class Secrets {

    static final String HIDDEN = "***";

    // Character classes with a simple star: linear, no backtracking that grows with the input (design H2).
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([a-z0-9_.-]*password=)[^&;\\s]*");
    private static final Pattern USER_INFO = Pattern.compile("(://[^/:@\\s]*:)[^/@\\s]*@");

    private Secrets() {
    }

    /** {@code text} with every password it holds replaced by {@code ***}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = PASSWORD_PARAMETER.matcher(text).replaceAll("$1" + HIDDEN);
        return USER_INFO.matcher(masked).replaceAll("$1" + HIDDEN + "@");
    }
}
