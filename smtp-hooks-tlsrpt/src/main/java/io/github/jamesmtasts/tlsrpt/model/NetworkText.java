package io.github.jamesmtasts.tlsrpt.model;

/**
 * Cleans text that came from the network (HELO names, HTTP headers, TXT records, exception messages) before it is
 * stored, logged or reported (design H4): only printable ASCII survives, so no CR/LF can forge a log line and no NUL
 * reaches a database that refuses it; the length is bounded so one peer cannot fill a log, a row or a report.
 */
public final class NetworkText {

    static final String TRUNCATED = "...";

    private NetworkText() {
    }

    /**
     * @param maxLength the longest result, the {@code "..."} marker included (at least 3)
     * @return {@code text} with every character outside 0x20-0x7E replaced by {@code '?'}, cut to {@code maxLength}
     *     characters ending in {@code "..."} when it was longer
     */
    public static String clean(CharSequence text, int maxLength) {
        if (maxLength < TRUNCATED.length()) {
            throw new IllegalArgumentException("maxLength must be at least " + TRUNCATED.length() + ": " + maxLength);
        }
        boolean cut = text.length() > maxLength;
        int keep = cut ? maxLength - TRUNCATED.length() : text.length();
        StringBuilder clean = new StringBuilder(cut ? maxLength : keep);
        for (int i = 0; i < keep; i++) {
            char c = text.charAt(i);
            clean.append(c >= 0x20 && c <= 0x7E ? c : '?');
        }
        if (cut) {
            clean.append(TRUNCATED);
        }
        return clean.toString();
    }
}
