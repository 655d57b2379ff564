package io.github.jamesmtasts.tlsrpt.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/**
 * Writes a report as RFC 8460 4.4 JSON, in the key order and shape of Google's reports: arrays where the RFC (with
 * errata 6241 for {@code mx-host}) says arrays, optional members omitted rather than {@code null} or {@code ""}.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportJson() {
    }

    public static byte[] toJson(TlsReport report) {
        try {
            return MAPPER.writeValueAsBytes(toTree(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    /** RFC 8460 5.3/5.4: the gzip-compressed JSON that is attached or POSTed. */
    public static byte[] toGzip(TlsReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(toJson(report));
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory gzip cannot fail", e);
        }
        return out.toByteArray();
    }

    static ObjectNode toTree(TlsReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("organization-name", report.organizationName());
        ObjectNode range = root.putObject("date-range");
        range.put("start-datetime", DateTimeFormatter.ISO_INSTANT.format(report.dateRange().start()));
        range.put("end-datetime", DateTimeFormatter.ISO_INSTANT.format(report.dateRange().end()));
        report.contactInfo().ifPresent(c -> root.put("contact-info", c));
        root.put("report-id", report.reportId());
        ArrayNode policies = root.putArray("policies");
        for (PolicyReport policy : report.policies()) {
            writePolicy(policies.addObject(), policy);
        }
        return root;
    }

    private static void writePolicy(ObjectNode node, PolicyReport report) {
        ReportPolicy policy = report.policy();
        ObjectNode block = node.putObject("policy");
        block.put("policy-type", policy.policyType().token());
        // RFC 8460 4.4: policy-string and mx-host are arrays; Google omits them when there is nothing to say
        // (no-policy-found), which the RFC allows, so we do the same instead of writing [].
        putStrings(block, "policy-string", policy.policyStrings());
        block.put("policy-domain", policy.policyDomain());
        putStrings(block, "mx-host", policy.mxHosts());
        ObjectNode summary = node.putObject("summary");
        summary.put("total-successful-session-count", report.totalSuccessfulSessionCount());
        summary.put("total-failure-session-count", report.totalFailureSessionCount());
        if (!report.failureDetails().isEmpty()) {
            ArrayNode details = node.putArray("failure-details");
            for (Map.Entry<FailureDetails, Long> entry : report.failureDetails().entrySet()) {
                writeDetails(details.addObject(), entry.getKey(), entry.getValue());
            }
        }
    }

    private static void writeDetails(ObjectNode node, FailureDetails details, long count) {
        node.put("result-type", details.resultType().token());
        putOptional(node, "sending-mta-ip", details.sendingMtaIp());
        putOptional(node, "receiving-ip", details.receivingIp());
        putOptional(node, "receiving-mx-hostname", details.receivingMxHostname());
        putOptional(node, "receiving-mx-helo", details.receivingMxHelo());
        node.put("failed-session-count", count);
        putOptional(node, "additional-information", details.additionalInformation());
        putOptional(node, "failure-reason-code", details.failureReasonCode());
    }

    private static void putStrings(ObjectNode node, String key, List<String> values) {
        if (values.stream().anyMatch(v -> !v.isEmpty())) {
            ArrayNode array = node.putArray(key);
            values.stream().filter(v -> !v.isEmpty()).forEach(array::add);
        }
    }

    private static void putOptional(ObjectNode node, String key, Optional<String> value) {
        value.filter(v -> !v.isEmpty()).ifPresent(v -> node.put(key, v));
    }
}
