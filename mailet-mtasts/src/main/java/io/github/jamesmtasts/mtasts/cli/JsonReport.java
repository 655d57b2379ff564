package io.github.jamesmtasts.mtasts.cli;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneTokens;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;

/**
 * Renders a {@link CheckReport} as one line of JSON (one object per domain, JSON Lines). Absent values are left out,
 * never written as {@code null}. Field names are stable: scripts depend on them (see docs/cli.md).
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReport() {
    }

    public static String render(CheckReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("domain", report.domain());
        root.set("record", record(report));
        root.set("policy", policy(report));
        report.dane().ifPresent(d -> root.set("dane", dane(d)));
        ArrayNode mx = root.putArray("mx");
        report.mx().forEach(m -> mx.add(mx(m)));
        report.mxLookup().error().ifPresent(e -> root.put("mx_error", e));
        root.put("deliverable", report.deliverable());
        root.put("verdict", report.verdict().reason());
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static ObjectNode record(CheckReport report) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("status", report.recordStatus());
        put(record, "id", report.recordId());
        put(record, "error", report.recordError());
        return record;
    }

    private static ObjectNode policy(CheckReport report) {
        ObjectNode policy = MAPPER.createObjectNode();
        policy.put("status", report.policyStatus());
        if (report.policy().isPresent()) {
            StsPolicy p = report.policy().get();
            policy.put("mode", p.mode().token());
            policy.put("max_age", p.maxAge().getSeconds());
            ArrayNode mx = policy.putArray("mx");
            p.mx().stream().map(MxPattern::value).forEach(mx::add);
        }
        put(policy, "error", report.policyError());
        return policy;
    }

    private static ObjectNode mx(MxReport m) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("host", m.host());
        node.put("preference", m.preference());
        put(node, "address", m.address());
        m.matchesPolicy().ifPresent(b -> node.put("matches_policy", b));
        m.startTls().ifPresent(b -> node.put("starttls", b));
        put(node, "tls_version", m.tlsVersion());
        put(node, "certificate", m.certificate());
        put(node, "result", m.result());
        put(node, "failure_reason_code", m.failureReasonCode());
        put(node, "error", m.error());
        m.dane().ifPresent(d -> node.set("dane", mxDane(d)));
        m.tlsaMatch().ifPresent(b -> node.put("tlsa_match", b));
        return node;
    }

    private static ObjectNode dane(DaneDomain dane) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("status", DaneTokens.token(dane.kind()));
        node.put("reason", dane.reason());
        dane.failure().ifPresent(f -> node.put("failure", f.token()));
        return node;
    }

    private static ObjectNode mxDane(MxDane dane) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("state", DaneTokens.token(dane.kind()));
        if (!dane.records().isEmpty()) {
            ArrayNode tlsa = node.putArray("tlsa");
            dane.records().stream().map(TlsaRecord::presentation).forEach(tlsa::add);
            if (!dane.tlsaBase().equals(dane.mxHost())) {
                node.put("tlsa_base", dane.tlsaBase().asString());
            }
        }
        dane.failure().ifPresent(f -> node.put("failure", f.token()));
        node.put("reason", dane.reason());
        return node;
    }

    private static void put(ObjectNode node, String field, Optional<String> value) {
        value.ifPresent(v -> node.put(field, v));
    }
}
