package io.github.jamesmtasts.tlsrpt.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretsTest {

    static Stream<Arguments> rows() {
        return Stream.of(
            Arguments.of("query parameter", "jdbc:postgresql://h/db?user=x&password=secret",
                "jdbc:postgresql://h/db?user=x&password=***"),
            Arguments.of("parameter in the middle", "jdbc:postgresql://h/db?password=secret&ssl=true",
                "jdbc:postgresql://h/db?password=***&ssl=true"),
            Arguments.of("any case, any prefix", "jdbc:postgresql://h/db?sslmode=verify-full&SSLPassword=secret",
                "jdbc:postgresql://h/db?sslmode=verify-full&SSLPassword=***"),
            Arguments.of("semicolon separated", "jdbc:h2:file:/x;PASSWORD=secret;MODE=PostgreSQL",
                "jdbc:h2:file:/x;PASSWORD=***;MODE=PostgreSQL"),
            Arguments.of("user info", "postgresql://james:secret@db.internal:5432/james",
                "postgresql://james:***@db.internal:5432/james"),
            Arguments.of("inside a message", "cannot open jdbc:postgresql://h/db?password=secret now",
                "cannot open jdbc:postgresql://h/db?password=*** now"),
            Arguments.of("nothing to hide", "jdbc:postgresql://db.internal:5432/james as james",
                "jdbc:postgresql://db.internal:5432/james as james"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void maskShouldHideEveryPasswordAndKeepTheRest(String name, String text, String masked) {
        assertThat(Secrets.mask(text)).isEqualTo(masked).doesNotContain("secret");
    }
}
