package io.github.jamesmtasts.examples.demo;

/** Indents compact JSON for people to read (two spaces a level); strings are copied as they are. */
final class JsonIndent {
    private JsonIndent() {
    }

    static String indent(String json) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"':
                    inString = true;
                    out.append(c);
                    break;
                case '{':
                case '[':
                    depth++;
                    out.append(c).append('\n').append("  ".repeat(depth));
                    break;
                case '}':
                case ']':
                    depth--;
                    out.append('\n').append("  ".repeat(Math.max(depth, 0))).append(c);
                    break;
                case ',':
                    out.append(c).append('\n').append("  ".repeat(depth));
                    break;
                case ':':
                    out.append(": ");
                    break;
                default:
                    if (!Character.isWhitespace(c)) {
                        out.append(c);
                    }
            }
        }
        return out.toString();
    }
}
