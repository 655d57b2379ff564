package io.github.jamesmtasts.tlsrpt.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The strict RFC 8460 4.4 schema in {@code src/test/resources/tlsrpt/rfc8460.schema.json}. */
final class Rfc8460Schema {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(new String(ReportFixtures.resource("/tlsrpt/rfc8460.schema.json"), java.nio.charset.StandardCharsets.UTF_8));

    private Rfc8460Schema() {
    }

    /** @return the violations, empty when the JSON is a valid report */
    static Set<String> violations(byte[] json) {
        try {
            return SCHEMA.validate(MAPPER.readTree(json)).stream().map(ValidationMessage::getMessage)
                .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
