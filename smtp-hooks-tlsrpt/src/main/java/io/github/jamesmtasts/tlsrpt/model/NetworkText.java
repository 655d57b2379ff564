package io.github.jamesmtasts.tlsrpt.model;

/**
 * Text that a remote party chose (SMTP replies, HELO names, HTTP headers, TXT records), made safe to store, log
 * and report: printable ASCII only and a length bound. Design rule H4: no CR/LF can reach a log line, no NUL a
 * database row, and no peer can make a row or a line longer than the caller allows.
 */
public final class NetworkText {

    /** Appended when the text was cut; counted within {@code maxLength}. */
    public static final String TRUNCATION_MARKER = "...";

    private static final char REPLACEMENT = '?';

    private NetworkText() {
    }

    /**
     * @param text anything, even {@code null} (gives "")
     * @param maxLength the longest result, at least the marker's length
     * @return {@code text} with every character outside 0x20-0x7E replaced by {@code '?'}, cut to {@code maxLength}
     *     characters with a trailing {@value #TRUNCATION_MARKER} when it was longer
     */
    public static String clean(CharSequence text, int maxLength) {
        if (maxLength < TRUNCATION_MARKER.length()) {
            throw new IllegalArgumentException("maxLength must be at least " + TRUNCATION_MARKER.length());
        }
        if (text == null) {
            return "";
        }
        boolean cut = text.length() > maxLength;
        // Only the kept prefix is ever looked at: the work is bounded by maxLength, not by the input.
        int keep = cut ? maxLength - TRUNCATION_MARKER.length() : text.length();
        StringBuilder out = new StringBuilder(cut ? maxLength : keep);
        for (int i = 0; i < keep; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c <= 0x7E ? c : REPLACEMENT);
        }
        if (cut) {
            out.append(TRUNCATION_MARKER);
        }
        return out.toString();
    }
}
