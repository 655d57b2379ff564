package io.github.jamesmtasts.mtasts.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.net.Cidr;

/** Parsers for the values of {@link CheckOptions}; each problem is a {@link UsageException} naming the value. */
final class OptionValues {

    private OptionValues() {
    }

    /** The domain in lower-case A-labels without trailing dot; IP literals are refused (RFC 8461 4.1: no policy). */
    static DomainName domain(String text) throws UsageException {
        return DomainName.parse(text.trim()).orElseThrow(UsageException::new);
    }

    static Path readableFile(String option, String value) throws UsageException {
        Path path = Paths.get(value);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new UsageException(option + " " + value + ": no readable file there");
        }
        return path;
    }

    static Cidr cidr(String value) throws UsageException {
        try {
            return Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--allow-network: " + e.getMessage(), e);
        }
    }

    static int port(String option, String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " " + value + ": expected a port number 1-65535");
    }

    static Duration timeout(String value) throws UsageException {
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 1 && seconds <= CheckOptions.MAX_TIMEOUT.getSeconds()) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--timeout " + value + ": expected whole seconds 1-" + CheckOptions.MAX_TIMEOUT.getSeconds());
    }

    static String ehlo(String value) throws UsageException {
        if (value.isEmpty() || !value.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            throw new UsageException("--ehlo " + value + ": expected a host name or address literal");
        }
        return value;
    }
}
