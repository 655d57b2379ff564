package io.github.jamesmtasts.tlsrpt.model;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A domain name as both RFCs use it, validated once: A-labels (RFC 8460 4.4, RFC 8461 3.1 and 3.2), lower case (names
 * compare case-insensitively, RFC 8461 4.1), without the root dot, at least two labels (one for our own host name,
 * {@link #parseHostName}), and never an IP address
 * (RFC 8461 3.4: address literals have no policy). Mail domains and host names hold letters, digits and hyphens
 * (RFC 5321 4.1.2); only DNS owner names built with {@link #prefixed(String)} or read with {@link #parseOwnerName}
 * may also carry the underscored labels of RFC 8552 ({@code _mta-sts}, {@code _smtp._tls}, {@code _domainkey}).
 */
public final class DomainName {

    /** RFC 1035 2.3.4: 255 octets on the wire, which is 253 characters in text without the root dot. */
    public static final int MAX_LENGTH = 253;
    /** RFC 1035 2.3.4. */
    public static final int MAX_LABEL_LENGTH = 63;
    /** H2: longer input is refused before IDN conversion; room for U-labels that shrink and a trailing dot. */
    public static final int MAX_INPUT_LENGTH = 1_024;

    private static final int MAX_QUOTED = 80;

    private final String text;

    private DomainName(String text) {
        this.text = text;
    }

    /**
     * Parses a mail domain or host name: U-labels become A-labels, upper case becomes lower case, one root dot is
     * dropped. ASCII input (nearly all of it) is checked in one pass without the IDN conversion.
     */
    public static Parsed parse(String text) {
        return parse(text, false, 2);
    }

    /**
     * Like {@link #parse(String)}, but one label is enough: for the host names of our own configuration that James
     * setups use, such as its default domain {@code localhost} (the report submitter of RFC 8460 5.3 and DKIM
     * signing domain). Never for names from the network or a policy: a single label has no MTA-STS policy, no
     * TLS-RPT record and matches no {@code mx} pattern.
     */
    public static Parsed parseHostName(String text) {
        return parse(text, false, 1);
    }

    /** {@link #parse(String)}'s name, or empty; for callers that only need to know whether it is a domain. */
    public static Optional<DomainName> of(String text) {
        return parse(text, false, 2).name();
    }

    /**
     * The one text under which a policy domain is cached, counted and reported: the {@link DomainName} when
     * {@code text} is one (so U-labels are keyed and reported in A-labels, RFC 8460 4.4), else {@code text} in lower
     * case without the root dot, so that a name that is none still folds the same way everywhere and is refused by
     * the bounds of whoever stores it. Still needed for text read back from the store: counters written before
     * 2026-12-06 hold policy domains as {@code DnsNames.canonical} wrote them (U-labels kept, non-domains kept), and
     * a report day may still read them. Names that enter from the network or an operator are parsed with
     * {@link #parse} instead.
     */
    public static String keyOf(String text) {
        Parsed parsed = parse(text, false, 2);
        if (parsed.name.isPresent()) {
            return parsed.name.get().text;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** Like {@link #parse(String)}, but labels may also start with {@code _} (RFC 8552), as DNS owner names do. */
    public static Parsed parseOwnerName(String text) {
        return parse(text, true, 2);
    }

    /**
     * The owner name {@code labels.<this name>}, e.g. {@code prefixed("_mta-sts")} (RFC 8461 3.1) or
     * {@code prefixed("mta-sts")} (the policy host, RFC 8461 3.3); empty when the result would be longer than
     * {@value #MAX_LENGTH} characters or {@code labels} are no DNS labels.
     */
    public Optional<DomainName> prefixed(String labels) {
        return parse(labels + "." + text, true, 2).name();
    }

    /**
     * The name without its left-most label ({@code example.com} for {@code mx.example.com}), or empty when that would
     * be a single label: what a wildcard's {@code *} stands in front of (RFC 8461 4.1, RFC 6125 6.4.3).
     */
    public Optional<DomainName> parent() {
        int dot = text.indexOf('.');
        String rest = text.substring(dot + 1);
        // The labels of a valid name stay valid; the top label is unchanged, so no re-validation is needed.
        return rest.indexOf('.') < 0 ? Optional.empty() : Optional.of(new DomainName(rest));
    }

    /** Lower-case A-labels without the root dot, e.g. {@code xn--bcher-kva.example}. */
    public String asString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainName && text.equals(((DomainName) o).text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static Parsed parse(String input, boolean owner, int minLabels) {
        Objects.requireNonNull(input, "domain name text");
        if (input.isEmpty()) {
            return Parsed.invalid(input, "it is empty");
        }
        if (input.length() > MAX_INPUT_LENGTH) {
            return Parsed.invalid(input, "it is " + input.length() + " characters long, a domain name at most "
                + MAX_LENGTH);
        }
        String ascii = input;
        if (!isAscii(input)) {
            try {
                // RFC 5890: U-labels are looked up, fetched and reported as A-labels.
                ascii = IDN.toASCII(input, 0);
            } catch (IllegalArgumentException e) {
                return Parsed.invalid(input, "it is not a valid internationalised domain name ("
                    + NetworkText.clean(e.getMessage(), MAX_QUOTED) + ")");
            }
        }
        return check(input, ascii, owner, minLabels);
    }

    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static Parsed check(String input, String ascii, boolean owner, int minLabels) {
        int end = ascii.length();
        if (end > 1 && ascii.charAt(end - 1) == '.') {
            end--; // the root dot (RFC 8461 4.1: a trailing dot is ignored)
        }
        if (end > MAX_LENGTH) {
            return Parsed.invalid(input, "it is longer than " + MAX_LENGTH + " characters");
        }
        boolean upper = false;
        boolean digitsOnly = true;
        int labels = 0;
        int start = 0;
        for (int i = 0; i <= end; i++) {
            char c = i == end ? '.' : ascii.charAt(i);
            if (c == '.') {
                Optional<String> problem = labelProblem(ascii, start, i);
                if (problem.isPresent()) {
                    return Parsed.invalid(input, problem.get());
                }
                labels++;
                if (i < end) {
                    digitsOnly = true;
                }
                start = i + 1;
            } else if (c >= 'a' && c <= 'z') {
                digitsOnly = false;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
                digitsOnly = false;
            } else if (c == '-') {
                digitsOnly = false;
            } else if (c == '_' && owner && i == start) {
                digitsOnly = false;
            } else if (c < '0' || c > '9') {
                return Parsed.invalid(input, characterProblem(c));
            }
        }
        if (labels < minLabels) {
            return Parsed.invalid(input, "it has a single label; write the whole domain, such as example.com");
        }
        if (digitsOnly) {
            // An all-numeric top label is an IPv4 address (RFC 1123 2.1), never a domain with a policy (RFC 8461 3.4).
            return Parsed.invalid(input, "it is an IP address; address literals have no MTA-STS policy or TLS-RPT record");
        }
        String name = ascii.substring(0, end);
        return Parsed.valid(new DomainName(upper ? name.toLowerCase(Locale.ROOT) : name));
    }

    private static Optional<String> labelProblem(String ascii, int start, int end) {
        if (end == start) {
            return Optional.of("it has an empty label (two dots in a row, or a dot at the start)");
        }
        if (end - start > MAX_LABEL_LENGTH) {
            return Optional.of("label '" + NetworkText.clean(ascii.substring(start, end), MAX_QUOTED) + "' is "
                + (end - start) + " characters long, at most " + MAX_LABEL_LENGTH + " are allowed");
        }
        if (ascii.charAt(start) == '-' || ascii.charAt(end - 1) == '-') {
            return Optional.of("label '" + NetworkText.clean(ascii.substring(start, end), MAX_QUOTED)
                + "' starts or ends with '-'");
        }
        return Optional.empty();
    }

    private static String characterProblem(char c) {
        if (c == '[') {
            return "it is an address literal; address literals have no MTA-STS policy or TLS-RPT record";
        }
        if (c == ':') {
            return "':' is not allowed; an IPv6 address literal, a port or a URL is no domain name";
        }
        if (c == '_') {
            return "'_' is allowed only at the start of a DNS owner name's label (such as _mta-sts), not in a domain";
        }
        String shown = c >= 0x21 && c <= 0x7e ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
        return shown + " is not allowed; a domain name holds letters, digits, hyphens and dots";
    }

    /**
     * The outcome of parsing: a {@link DomainName}, or the problem in words that name the input and what is wrong,
     * ready for a WebAdmin answer, a CLI error or a log line.
     */
    public static final class Parsed {

        private final Optional<DomainName> name;
        private final Optional<String> problem;

        private Parsed(Optional<DomainName> name, Optional<String> problem) {
            this.name = name;
            this.problem = problem;
        }

        static Parsed valid(DomainName name) {
            return new Parsed(Optional.of(name), Optional.empty());
        }

        static Parsed invalid(String input, String what) {
            // The input is untrusted (DNS, mail addresses, HTTP paths): H4 applies to the message too.
            return new Parsed(Optional.empty(), Optional.of("'" + NetworkText.clean(input, MAX_QUOTED)
                + "' is not a domain name: " + what));
        }

        public Optional<DomainName> name() {
            return name;
        }

        /** Present exactly when {@link #name()} is empty; starts with the quoted input. */
        public Optional<String> problem() {
            return problem;
        }

        public <X extends Exception> DomainName orElseThrow(Function<String, X> error) throws X {
            if (name.isPresent()) {
                return name.get();
            }
            throw error.apply(problem.get());
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Parsed)) {
                return false;
            }
            Parsed that = (Parsed) o;
            return name.equals(that.name) && problem.equals(that.problem);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, problem);
        }

        @Override
        public String toString() {
            return name.map(n -> "Parsed{" + n + "}").orElse("Parsed{" + problem.get() + "}");
        }
    }
}
