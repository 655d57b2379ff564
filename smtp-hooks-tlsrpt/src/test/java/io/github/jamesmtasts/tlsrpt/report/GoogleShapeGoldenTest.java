package io.github.jamesmtasts.tlsrpt.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Golden files: Google's real reports, read and written again by our code, must come out as the same JSON, key order
 * included. That pins our shape (arrays, key names, omitted members) to the most widely consumed sender's.
 */
class GoogleShapeGoldenTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Arguments> googleReports() {
        return Stream.of(
            Arguments.of("J 4.4 Google sts with mx-host", "dmarc-report-viewer--google.json"),
            Arguments.of("J 4.4 Google no-policy-found without mx-host and policy-string", "dmarc-report-viewer--no-policy.json"),
            Arguments.of("J 4.4 Google sts testing", "sebastka-tlsrpt--google-sts.json"),
            Arguments.of("J 4.4 Google-style validation-failure details", "parsedmarc--smtp_tls.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("googleReports")
    void ourJsonShouldEqualGooglesForTheSameData(String name, String file) throws Exception {
        byte[] google = ReportFixtures.resource("/tlsrpt/samples/" + file);

        byte[] ours = ReportJson.toJson(ReportJsonReader.read(google));

        JsonNode expected = MAPPER.readTree(google);
        JsonNode actual = MAPPER.readTree(ours);
        assertThat(actual).isEqualTo(expected);
        assertThat(keyPaths(actual, "")).containsExactlyElementsOf(keyPaths(expected, ""));
    }

    /** Every member path in document order, e.g. "/policies/0/policy/mx-host". */
    private static List<String> keyPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                paths.add(prefix + "/" + e.getKey());
                paths.addAll(keyPaths(e.getValue(), prefix + "/" + e.getKey()));
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.addAll(keyPaths(node.get(i), prefix + "/" + i));
            }
        }
        return paths;
    }
}
