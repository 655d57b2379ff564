package io.github.jamesmtasts.tlsrpt.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * Reads RFC 8460 4.4 reports written by anyone, as real senders write them: tolerant where deployed reporters deviate
 * harmlessly (date-times without "Z", {@code mx-host} as a string, {@code null} or missing {@code contact-info},
 * unknown result types), strict where the data would be meaningless (missing summary, policy type or policy domain).
 * A test tool: it reads our own output back and the real reports under {@code src/test/resources/tlsrpt/}.
 */
public final class ReportJsonReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_UNCOMPRESSED_BYTES = 16 * 1024 * 1024;

    private ReportJsonReader() {
    }

    public static TlsReport readGzip(byte[] gzip) throws ReportFormatException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            byte[] json = in.readNBytes(MAX_UNCOMPRESSED_BYTES + 1);
            if (json.length > MAX_UNCOMPRESSED_BYTES) {
                throw new ReportFormatException("report is larger than " + MAX_UNCOMPRESSED_BYTES + " bytes uncompressed");
            }
            return read(json);
        } catch (IOException e) {
            throw new ReportFormatException("not a gzip stream: " + e.getMessage(), e);
        }
    }

    /**
     * Failure details with a result type this code does not know are left out; their sessions still count in the
     * summary, which is read as written.
     */
    public static TlsReport read(byte[] json) throws ReportFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ReportFormatException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ReportFormatException("a report must be a JSON object");
        }
        JsonNode range = required(root, "date-range");
        DateRange dateRange = DateRange.of(instant(required(range, "start-datetime")),
            instant(required(range, "end-datetime")));
        List<PolicyReport> policies = new ArrayList<>();
        JsonNode policyArray = required(root, "policies");
        if (!policyArray.isArray()) {
            throw new ReportFormatException("policies must be an array");
        }
        for (JsonNode policy : policyArray) {
            policies.add(policy(policy));
        }
        return TlsReport.of(text(required(root, "organization-name")), dateRange, optionalText(root, "contact-info"),
            text(required(root, "report-id")), policies);
    }

    private static PolicyReport policy(JsonNode node) throws ReportFormatException {
        JsonNode block = required(node, "policy");
        String typeToken = text(required(block, "policy-type"));
        PolicyType type = PolicyType.fromToken(typeToken)
            .orElseThrow(() -> new ReportFormatException("unknown policy-type '" + typeToken + "'"));
        ReportPolicy policy = ReportPolicy.of(type, text(required(block, "policy-domain")), strings(block, "policy-string"),
            strings(block, "mx-host"));
        JsonNode summary = required(node, "summary");
        Map<FailureDetails, Long> details = new LinkedHashMap<>();
        JsonNode detailArray = node.path("failure-details");
        if (!detailArray.isMissingNode() && !detailArray.isNull()) {
            if (!detailArray.isArray()) {
                throw new ReportFormatException("failure-details must be an array");
            }
            for (JsonNode entry : detailArray) {
                Optional<ResultType> resultType = ResultType.fromToken(text(required(entry, "result-type")));
                long count = count(required(entry, "failed-session-count"));
                resultType.ifPresent(t -> details.merge(details(t, entry), count, Long::sum));
            }
        }
        return PolicyReport.of(policy, count(required(summary, "total-successful-session-count")),
            count(required(summary, "total-failure-session-count")), details);
    }

    private static FailureDetails details(ResultType type, JsonNode entry) {
        FailureDetails.Builder builder = FailureDetails.builder(type);
        textOrNull(entry, "sending-mta-ip").ifPresent(builder::sendingMtaIp);
        textOrNull(entry, "receiving-mx-hostname").ifPresent(builder::receivingMxHostname);
        textOrNull(entry, "receiving-mx-helo").ifPresent(builder::receivingMxHelo);
        textOrNull(entry, "receiving-ip").ifPresent(builder::receivingIp);
        textOrNull(entry, "additional-information").ifPresent(builder::additionalInformation);
        textOrNull(entry, "failure-reason-code").ifPresent(builder::failureReasonCode);
        return builder.build();
    }

    private static Optional<String> textOrNull(JsonNode node, String key) {
        JsonNode value = node.path(key);
        return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static JsonNode required(JsonNode node, String key) throws ReportFormatException {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new ReportFormatException("missing required member '" + key + "'");
        }
        return value;
    }

    private static String text(JsonNode node) throws ReportFormatException {
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new ReportFormatException("expected a non-empty string, got " + node);
        }
        return node.asText();
    }

    private static Optional<String> optionalText(JsonNode root, String key) {
        JsonNode value = root.path(key);
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static long count(JsonNode node) throws ReportFormatException {
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new ReportFormatException("expected a non-negative integer count, got " + node);
        }
        return node.asLong();
    }

    private static List<String> strings(JsonNode block, String key) throws ReportFormatException {
        JsonNode value = block.path(key);
        List<String> out = new ArrayList<>();
        if (value.isMissingNode() || value.isNull()) {
            return out;
        }
        if (value.isTextual()) {
            // RFC 8460 as published (before errata 6241) showed mx-host as a string.
            out.add(value.asText());
            return out;
        }
        if (!value.isArray()) {
            throw new ReportFormatException(key + " must be an array of strings");
        }
        for (JsonNode item : value) {
            out.add(text(item));
        }
        return out;
    }

    private static Instant instant(JsonNode node) throws ReportFormatException {
        String value = text(node);
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                // Microsoft writes "2023-01-10T00:00:00" without a zone; RFC 3339 needs one, UTC is what they mean.
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new ReportFormatException("'" + value + "' is not an RFC 3339 date-time", e);
            }
        }
    }
}
