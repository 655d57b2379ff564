package io.github.jamesmtasts.tlsrpt.discover;

import java.util.List;

/**
 * A valid {@code _smtp._tls} TXT record (RFC 8460 3): the usable report destinations, in published order. Extension
 * fields are checked by the parser but not kept: they carry no meaning for senders.
 */
public final class TlsRptRecord {

    private final List<ReportUri> reportUris;

    private TlsRptRecord(List<ReportUri> reportUris) {
        if (reportUris.isEmpty()) {
            throw new IllegalArgumentException("a TLS-RPT record needs at least one usable rua URI");
        }
        this.reportUris = List.copyOf(reportUris);
    }

    public static TlsRptRecord of(List<ReportUri> reportUris) {
        return new TlsRptRecord(reportUris);
    }

    /** Never empty; only {@code mailto:} and {@code https:} destinations. */
    public List<ReportUri> reportUris() {
        return reportUris;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsRptRecord && reportUris.equals(((TlsRptRecord) o).reportUris);
    }

    @Override
    public int hashCode() {
        return reportUris.hashCode();
    }

    @Override
    public String toString() {
        return "TlsRptRecord{rua=" + reportUris + "}";
    }
}
