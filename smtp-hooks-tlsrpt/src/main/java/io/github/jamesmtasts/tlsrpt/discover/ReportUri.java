package io.github.jamesmtasts.tlsrpt.discover;

import java.util.Objects;

/**
 * One {@code rua} destination of a TLS-RPT record (RFC 8460 3): where reports for the policy domain go.
 * {@link #address()} is ready for use: for {@code mailto:} the decoded mailbox, for {@code https:} the URL with the
 * TLS-RPT escapes of {@code , ! ;} decoded. {@link #original()} is the text as published, for logs and claims.
 */
public final class ReportUri {

    public enum Kind {
        /** RFC 8460 5.3: send the report as a {@code multipart/report} mail to {@link #address()}. */
        MAILTO,
        /** RFC 8460 5.4: POST the gzipped report to {@link #address()}. */
        HTTPS
    }

    private final Kind kind;
    private final String address;
    private final String original;

    private ReportUri(Kind kind, String address, String original) {
        this.kind = Objects.requireNonNull(kind);
        this.address = Objects.requireNonNull(address);
        this.original = Objects.requireNonNull(original);
    }

    public static ReportUri mailto(String mailbox, String original) {
        return new ReportUri(Kind.MAILTO, mailbox, original);
    }

    public static ReportUri https(String url, String original) {
        return new ReportUri(Kind.HTTPS, url, original);
    }

    public Kind kind() {
        return kind;
    }

    /** The decoded mailbox ({@code local@domain}) or the decoded {@code https://} URL. */
    public String address() {
        return address;
    }

    /** The URI exactly as it appeared in the TXT record. */
    public String original() {
        return original;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReportUri)) {
            return false;
        }
        ReportUri that = (ReportUri) o;
        return kind == that.kind && address.equals(that.address) && original.equals(that.original);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, address, original);
    }

    @Override
    public String toString() {
        return original;
    }
}
