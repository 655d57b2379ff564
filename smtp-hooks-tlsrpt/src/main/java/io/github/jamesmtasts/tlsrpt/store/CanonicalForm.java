package io.github.jamesmtasts.tlsrpt.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/**
 * Canonical text of a policy block and of failure details, and its SHA-256: the short key under which the long texts
 * are stored once, so that counter rows and their unique index stay small. The text is a JSON array, so that no
 * two different values share it ({@code null} marks an absent optional field).
 */
final class CanonicalForm {

    /** The failure key of success counters; never a hex hash. */
    static final String SUCCESS = "success";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<List<String>>() { };

    private CanonicalForm() {
    }

    static String policyHash(ReportPolicy policy) {
        return sha256(json(Arrays.asList("policy/v1", policy.policyType().token(), policy.policyDomain(),
            policy.policyStrings(), policy.mxHosts())));
    }

    static String failureHash(FailureDetails details) {
        return sha256(json(Arrays.asList("failure/v1", details.resultType().token(),
            details.sendingMtaIp().orElse(null), details.receivingMxHostname().orElse(null),
            details.receivingMxHelo().orElse(null), details.receivingIp().orElse(null),
            details.additionalInformation().orElse(null), details.failureReasonCode().orElse(null))));
    }

    /** Key of a report destination: URIs come from DNS and may be too long for an index. */
    static String ruaHash(String rua) {
        return sha256(rua);
    }

    static String encodeList(List<String> values) {
        return json(values);
    }

    static List<String> decodeList(String json, String what) {
        try {
            return JSON.readValue(json, STRING_LIST);
        } catch (JsonProcessingException e) {
            throw new StoreException("unreadable " + what + " in the TLS-RPT store: " + e.getOriginalMessage()
                + " (the row was changed outside the extension; restore it or purge the day)", e);
        }
    }

    static Optional<String> optional(String column) {
        return Optional.ofNullable(column);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lists of strings always serialize", e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
