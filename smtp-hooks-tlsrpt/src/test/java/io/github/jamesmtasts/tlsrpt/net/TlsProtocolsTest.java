package io.github.jamesmtasts.tlsrpt.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TlsProtocolsTest {

    static Stream<Arguments> offers() {
        return Stream.of(
            arguments("I 7 a JDK with every protocol offers 1.3 and 1.2 only",
                new String[] {"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, new String[] {"TLSv1.3", "TLSv1.2"}),
            arguments("I 7 order is ours, not the socket's", new String[] {"TLSv1.2", "TLSv1.3"},
                new String[] {"TLSv1.3", "TLSv1.2"}),
            arguments("I 7 a socket without 1.3 offers 1.2", new String[] {"TLSv1.1", "TLSv1.2"}, new String[] {"TLSv1.2"}),
            arguments("I 7 a socket with only old protocols offers nothing", new String[] {"TLSv1", "TLSv1.1"},
                new String[0]),
            arguments("unknown names are never offered", new String[] {"DTLSv1.2", "TLSv1.4"}, new String[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("offers")
    void offeredShouldKeepOnlyTls12AndHigher(String rule, String[] supported, String[] expected) {
        assertThat(TlsProtocols.offered(supported)).containsExactly(expected);
    }

    @Test
    void restrictShouldSetTheOfferedProtocolsOnTheParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.1"});

        TlsProtocols.restrict(parameters, new String[] {"TLSv1.1", "TLSv1.2", "TLSv1.3"});

        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }
}
