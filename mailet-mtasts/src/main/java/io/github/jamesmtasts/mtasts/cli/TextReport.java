package io.github.jamesmtasts.mtasts.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.github.jamesmtasts.mtasts.dane.DaneTokens;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;

/** Renders a {@link CheckReport} for people: a few indented lines per domain, problems spelled out. */
public final class TextReport {

    private TextReport() {
    }

    public static String render(CheckReport report) {
        List<String> lines = new ArrayList<>();
        lines.add(report.domain() + ": " + (report.deliverable() ? "OK" : "PROBLEM"));
        lines.add("  record  _mta-sts." + report.domain() + ": " + report.recordStatus()
            + report.recordId().map(id -> " (id " + id + ")").orElse(""));
        report.recordError().ifPresent(e -> lines.add("          " + e));
        lines.add("  policy  " + policy(report));
        report.policyError().ifPresent(e -> lines.add("          " + e));
        report.dane().ifPresent(d -> lines.add("  dane    " + DaneTokens.token(d.kind()) + " (" + d.reason() + ")"
            + d.failure().map(f -> " -> " + f.token()).orElse("")));
        if (report.mx().isEmpty()) {
            lines.add("  mx      " + report.mxLookup().error().orElse("no MX host"));
        }
        for (MxReport mx : report.mx()) {
            lines.add("  mx      " + mx(mx));
            mx.dane().filter(d -> !d.records().isEmpty()).ifPresent(d -> d.records().stream()
                .map(TlsaRecord::presentation).forEach(r -> lines.add("          TLSA " + r)));
            mx.error().ifPresent(e -> lines.add("          " + e));
        }
        lines.add("  verdict " + report.verdict().reason());
        return String.join(System.lineSeparator(), lines);
    }

    private static String policy(CheckReport report) {
        if (report.policy().isEmpty()) {
            return report.policyStatus();
        }
        StsPolicy p = report.policy().get();
        return report.policyStatus() + ", mode " + p.mode().token() + ", max_age " + p.maxAge().getSeconds()
            + (p.mx().isEmpty() ? "" : ", mx " + p.mx().stream().map(MxPattern::value).collect(Collectors.joining(" ")));
    }

    private static String dane(MxDane dane) {
        switch (dane.kind()) {
            case AUTHENTICATE:
                return "DANE authenticate (" + dane.usableRecords().size() + " usable TLSA of " + dane.records().size()
                    + ")";
            case ENCRYPT_ONLY:
                return "DANE encrypt-only (no usable TLSA record)";
            case UNUSABLE:
                return "DANE unusable";
            case NOT_APPLICABLE:
            default:
                return "DANE " + DaneTokens.token(dane.kind());
        }
    }

    private static String mx(MxReport mx) {
        List<String> facts = new ArrayList<>();
        mx.dane().ifPresent(d -> facts.add(dane(d)));
        mx.tlsaMatch().ifPresent(m -> facts.add(m ? "certificate matches TLSA" : "certificate matches NO TLSA record"));
        mx.matchesPolicy().ifPresent(m -> facts.add(m ? "matches policy" : "does NOT match policy"));
        mx.startTls().ifPresent(s -> facts.add(s ? "STARTTLS offered" : "no STARTTLS"));
        mx.tlsVersion().ifPresent(facts::add);
        mx.certificate().ifPresent(c -> facts.add("certificate " + c));
        String result = mx.result().map(r -> r + mx.failureReasonCode().map(c -> " (" + c + ")").orElse(""))
            .orElse("no session");
        return mx.preference() + " " + mx.host() + mx.address().map(a -> " [" + a + "]").orElse("")
            + (facts.isEmpty() ? "" : ": " + String.join(", ", facts)) + " -> " + result;
    }
}
