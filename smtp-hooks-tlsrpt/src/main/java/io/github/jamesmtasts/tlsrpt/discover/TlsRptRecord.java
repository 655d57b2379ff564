package io.github.jamesmtasts.tlsrpt.discover;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A valid {@code _smtp._tls} TXT record (RFC 8460 3): the usable report destinations, in published order,
 * and any extension fields.
 */
public final class TlsRptRecord {

    private final List<ReportUri> reportUris;
    private final Map<String, String> extensions;

    private TlsRptRecord(List<ReportUri> reportUris, Map<String, String> extensions) {
        if (reportUris.isEmpty()) {
            throw new IllegalArgumentException("a TLS-RPT record needs at least one usable rua URI");
        }
        this.reportUris = List.copyOf(reportUris);
        this.extensions = Map.copyOf(extensions);
    }

    public static TlsRptRecord of(List<ReportUri> reportUris, Map<String, String> extensions) {
        return new TlsRptRecord(reportUris, extensions);
    }

    public static TlsRptRecord of(List<ReportUri> reportUris) {
        return new TlsRptRecord(reportUris, Map.of());
    }

    /** Never empty; only {@code mailto:} and {@code https:} destinations. */
    public List<ReportUri> reportUris() {
        return reportUris;
    }

    public Map<String, String> extensions() {
        return extensions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsRptRecord)) {
            return false;
        }
        TlsRptRecord that = (TlsRptRecord) o;
        return reportUris.equals(that.reportUris) && extensions.equals(that.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reportUris, extensions);
    }

    @Override
    public String toString() {
        return "TlsRptRecord{rua=" + reportUris + (extensions.isEmpty() ? "" : ", " + extensions) + "}";
    }
}
