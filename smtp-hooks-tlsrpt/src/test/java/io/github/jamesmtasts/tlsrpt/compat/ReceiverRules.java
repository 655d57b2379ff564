package io.github.jamesmtasts.tlsrpt.compat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the report parsers that receivers run require of a mailed TLS-RPT report, read from their sources and written
 * down as checks: each method answers the list of rule violations (empty = that parser accepts the mail).
 *
 * <ul>
 *   <li>parsedmarc ({@code parsedmarc/__init__.py}: {@code parse_report_email}, {@code parse_smtp_tls_report_json},
 *       {@code _parse_smtp_tls_report_policy}, {@code _parse_smtp_tls_failure_details});</li>
 *   <li>mox ({@code tlsrpt/report.go}: {@code ParseMessage}, the {@code Report} structs);</li>
 *   <li>Stalwart mail-auth ({@code src/report/tlsrpt/parse.rs} {@code parse_rfc5322}, {@code mod.rs} serde types);</li>
 *   <li>dmarc-report-viewer 2.6.0 ({@code src/unpack.rs} {@code extract_report_files}, {@code src/tls.rs} strict
 *       serde types: unknown policy or result types are errors).</li>
 * </ul>
 */
final class ReceiverRules {

    static final Set<String> POLICY_TYPES = Set.of("sts", "tlsa", "no-policy-found");
    static final Set<String> RESULT_TYPES = Set.of("starttls-not-supported", "certificate-host-mismatch",
        "certificate-expired", "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid",
        "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid");
    private static final long U32_MAX = 4_294_967_295L;
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReceiverRules() {
    }

    /** parsedmarc: any part of media type application/tlsrpt+gzip, gunzipped; required keys, known policy types. */
    static List<String> parsedmarc(byte[] rawMail) throws Exception {
        List<String> violations = new ArrayList<>();
        Optional<JsonNode> json = report(rawMail, p -> baseType(p).equals("application/tlsrpt+gzip"), violations);
        if (json.isEmpty()) {
            violations.add("parsedmarc: no application/tlsrpt+gzip part");
            return violations;
        }
        JsonNode report = json.get();
        for (String key : List.of("organization-name", "date-range", "contact-info", "report-id", "policies")) {
            require(report.has(key), "parsedmarc: missing required field " + key, violations);
        }
        require(report.path("date-range").has("start-datetime") && report.path("date-range").has("end-datetime"),
            "parsedmarc: date-range needs start-datetime and end-datetime", violations);
        require(report.path("policies").isArray(), "parsedmarc: policies must be a list", violations);
        for (JsonNode policy : report.path("policies")) {
            require(policy.path("policy").has("policy-domain"), "parsedmarc: missing policy-domain", violations);
            require(POLICY_TYPES.contains(policy.path("policy").path("policy-type").asText()),
                "parsedmarc: invalid policy type " + policy.path("policy").path("policy-type"), violations);
            require(policy.path("summary").has("total-successful-session-count")
                && policy.path("summary").has("total-failure-session-count"), "parsedmarc: summary counts missing",
                violations);
            for (JsonNode details : policy.path("failure-details")) {
                require(details.has("result-type") && details.has("failed-session-count"),
                    "parsedmarc: failure details need result-type and failed-session-count", violations);
            }
        }
        return violations;
    }

    /**
     * mox: a multipart/report must say report-type=tlsrpt; the report is the application/tlsrpt+gzip part; JSON
     * decoded into Go structs (strings, []string, int64, RFC 3339 time.Time).
     */
    static List<String> mox(byte[] rawMail) throws Exception {
        List<String> violations = new ArrayList<>();
        MimeMessage mail = parse(rawMail);
        ContentType root = new ContentType(mail.getContentType());
        if (root.match("multipart/report")) {
            require("tlsrpt".equals(root.getParameter("report-type")), "mox: unknown report-type parameter "
                + root.getParameter("report-type"), violations);
        }
        Optional<JsonNode> json = report(rawMail, p -> baseType(p).equals("application/tlsrpt+gzip")
            || baseType(p).equals("application/tlsrpt+json"), violations);
        if (json.isEmpty()) {
            violations.add("mox: no tlsrpt report found");
            return violations;
        }
        JsonNode report = json.get();
        goString(report, "organization-name", "mox", violations);
        goString(report, "contact-info", "mox", violations);
        goString(report, "report-id", "mox", violations);
        rfc3339(report.path("date-range").path("start-datetime"), "mox", violations);
        rfc3339(report.path("date-range").path("end-datetime"), "mox", violations);
        for (JsonNode policy : report.path("policies")) {
            goString(policy.path("policy"), "policy-type", "mox", violations);
            goString(policy.path("policy"), "policy-domain", "mox", violations);
            goStrings(policy.path("policy"), "policy-string", "mox", violations);
            goStrings(policy.path("policy"), "mx-host", "mox", violations);
            integer(policy.path("summary"), "total-successful-session-count", Long.MAX_VALUE, "mox", violations);
            integer(policy.path("summary"), "total-failure-session-count", Long.MAX_VALUE, "mox", violations);
            for (JsonNode details : policy.path("failure-details")) {
                for (String key : List.of("result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo",
                    "receiving-ip", "additional-information", "failure-reason-code")) {
                    goString(details, key, "mox", violations);
                }
                integer(details, "failed-session-count", Long.MAX_VALUE, "mox", violations);
            }
        }
        return violations;
    }

    /**
     * Stalwart mail-auth: a binary part of subtype tlsrpt+gzip (or a .gz attachment), gunzipped; serde: date-range
     * required, counts u32, IP fields parse as IP addresses.
     */
    static List<String> stalwart(byte[] rawMail) throws Exception {
        List<String> violations = new ArrayList<>();
        Optional<JsonNode> json = report(rawMail, p -> subType(p).equalsIgnoreCase("tlsrpt+gzip")
            || fileName(p).toLowerCase(Locale.ROOT).endsWith(".gz"), violations);
        if (json.isEmpty()) {
            violations.add("stalwart: no report found");
            return violations;
        }
        JsonNode report = json.get();
        require(report.path("date-range").isObject(), "stalwart: date-range is required", violations);
        for (JsonNode policy : report.path("policies")) {
            require(policy.path("policy").path("policy-type").isTextual(), "stalwart: policy-type is required",
                violations);
            require(policy.path("summary").isObject(), "stalwart: summary is required", violations);
            integer(policy.path("summary"), "total-successful-session-count", U32_MAX, "stalwart", violations);
            integer(policy.path("summary"), "total-failure-session-count", U32_MAX, "stalwart", violations);
            for (JsonNode details : policy.path("failure-details")) {
                require(details.path("result-type").isTextual(), "stalwart: result-type is required", violations);
                ipAddress(details.path("sending-mta-ip"), "stalwart", violations);
                ipAddress(details.path("receiving-ip"), "stalwart", violations);
                integer(details, "failed-session-count", U32_MAX, "stalwart", violations);
            }
        }
        return violations;
    }

    /**
     * dmarc-report-viewer 2.6.0: the part whose Content-Type header contains application/tlsrpt+gzip (checked after
     * the zip, gzip and XML cases, which must not match first); strict serde types.
     */
    static List<String> dmarcReportViewer(byte[] rawMail) throws Exception {
        List<String> violations = new ArrayList<>();
        Optional<JsonNode> json = report(rawMail, p -> {
            String header = contentTypeHeader(p);
            boolean earlier = header.contains("application/zip") || header.contains("application/x-zip-compressed")
                || header.contains("application/octet-stream") || header.contains("application/gzip")
                || header.contains("application/x-gzip") || header.contains("text/xml");
            return !earlier && header.contains("application/tlsrpt+gzip");
        }, violations);
        if (json.isEmpty()) {
            violations.add("dmarc-report-viewer: no application/tlsrpt+gzip attachment");
            return violations;
        }
        JsonNode report = json.get();
        require(report.path("organization-name").isTextual(), "dmarc-report-viewer: organization-name", violations);
        require(report.path("report-id").isTextual(), "dmarc-report-viewer: report-id", violations);
        optionalString(report, "contact-info", "dmarc-report-viewer", violations);
        rfc3339(report.path("date-range").path("start-datetime"), "dmarc-report-viewer", violations);
        rfc3339(report.path("date-range").path("end-datetime"), "dmarc-report-viewer", violations);
        require(report.path("policies").isArray(), "dmarc-report-viewer: policies", violations);
        for (JsonNode policy : report.path("policies")) {
            JsonNode block = policy.path("policy");
            require(POLICY_TYPES.contains(block.path("policy-type").asText()),
                "dmarc-report-viewer: unknown policy-type " + block.path("policy-type"), violations);
            require(block.path("policy-domain").isTextual(), "dmarc-report-viewer: policy-domain", violations);
            goStrings(block, "policy-string", "dmarc-report-viewer", violations);
            goStrings(block, "mx-host", "dmarc-report-viewer", violations);
            integer(policy.path("summary"), "total-successful-session-count", Long.MAX_VALUE, "dmarc-report-viewer",
                violations);
            integer(policy.path("summary"), "total-failure-session-count", Long.MAX_VALUE, "dmarc-report-viewer",
                violations);
            for (JsonNode details : policy.path("failure-details")) {
                require(RESULT_TYPES.contains(details.path("result-type").asText()),
                    "dmarc-report-viewer: unknown result-type " + details.path("result-type"), violations);
                ipAddress(details.path("sending-mta-ip"), "dmarc-report-viewer", violations);
                ipAddress(details.path("receiving-ip"), "dmarc-report-viewer", violations);
                for (String key : List.of("receiving-mx-hostname", "receiving-mx-helo", "additional-information",
                    "failure-reason-code")) {
                    optionalString(details, key, "dmarc-report-viewer", violations);
                }
                integer(details, "failed-session-count", Long.MAX_VALUE, "dmarc-report-viewer", violations);
            }
        }
        return violations;
    }

    private static Optional<JsonNode> report(byte[] rawMail, Predicate<Part> isReport, List<String> violations)
        throws Exception {
        List<Part> parts = new ArrayList<>();
        walk(parse(rawMail), parts);
        for (Part part : parts) {
            if (!isReport.test(part)) {
                continue;
            }
            try (InputStream in = new GZIPInputStream(part.getInputStream())) {
                return Optional.of(JSON.readTree(in.readAllBytes()));
            } catch (IOException e) {
                violations.add("attachment is not gzipped JSON: " + e.getMessage());
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static void walk(Part part, List<Part> parts) throws MessagingException, IOException {
        parts.add(part);
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                walk(child, parts);
            }
        }
    }

    private static MimeMessage parse(byte[] rawMail) throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(rawMail));
    }

    private static String baseType(Part part) {
        try {
            return new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException e) {
            return "";
        }
    }

    private static String subType(Part part) {
        try {
            return new ContentType(part.getContentType()).getSubType();
        } catch (MessagingException e) {
            return "";
        }
    }

    private static String fileName(Part part) {
        try {
            return Optional.ofNullable(part.getFileName()).orElse("");
        } catch (MessagingException e) {
            return "";
        }
    }

    private static String contentTypeHeader(Part part) {
        try {
            String[] values = part.getHeader("Content-Type");
            return values == null ? "" : values[0].replaceAll("\\r?\\n[ \\t]", " ");
        } catch (MessagingException e) {
            return "";
        }
    }

    private static void require(boolean condition, String violation, List<String> violations) {
        if (!condition) {
            violations.add(violation);
        }
    }

    /** Go decodes a missing key or null as "", anything but a string is an error. */
    private static void goString(JsonNode node, String key, String tool, List<String> violations) {
        JsonNode value = node.path(key);
        require(value.isMissingNode() || value.isNull() || value.isTextual(), tool + ": " + key + " is not a string",
            violations);
    }

    private static void optionalString(JsonNode node, String key, String tool, List<String> violations) {
        goString(node, key, tool, violations);
    }

    /** A []string in Go, Option&lt;Vec&lt;String&gt;&gt; in Rust: absent, null or an array of strings. */
    private static void goStrings(JsonNode node, String key, String tool, List<String> violations) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        boolean ok = value.isArray();
        for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
            ok &= it.next().isTextual();
        }
        require(ok, tool + ": " + key + " is not an array of strings", violations);
    }

    private static void integer(JsonNode node, String key, long max, String tool, List<String> violations) {
        JsonNode value = node.path(key);
        require(value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0 && value.asLong() <= max,
            tool + ": " + key + " is not an integer 0.." + max + ": " + value, violations);
    }

    private static void rfc3339(JsonNode value, String tool, List<String> violations) {
        try {
            OffsetDateTime.parse(value.asText());
        } catch (DateTimeParseException e) {
            violations.add(tool + ": not an RFC 3339 date-time: " + value);
        }
    }

    /** Rust's IpAddr / Go-free check: absent or null, or an IPv4 dotted quad or IPv6 literal without zone. */
    private static void ipAddress(JsonNode value, String tool, List<String> violations) {
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        String text = value.asText();
        boolean ok;
        if (text.contains(":")) {
            ok = IPV6_CHARS.matcher(text).matches() && isLiteral(text);
        } else {
            ok = IPV4.matcher(text).matches();
        }
        require(ok, tool + ": not an IP address: " + value, violations);
    }

    private static boolean isLiteral(String ipv6) {
        try {
            // Only characters of an IPv6 literal reach here, so this never asks DNS.
            return java.net.InetAddress.getByName(ipv6) instanceof java.net.Inet6Address
                || java.net.InetAddress.getByName(ipv6) instanceof java.net.Inet4Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
