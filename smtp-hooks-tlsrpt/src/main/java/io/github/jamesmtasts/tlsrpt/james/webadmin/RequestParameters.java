package io.github.jamesmtasts.tlsrpt.james.webadmin;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.james.webadmin.utils.ErrorResponder;

import spark.HaltException;
import spark.Request;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Validates WebAdmin path and query parameters of the MTA-STS and TLS-RPT routes. Every problem becomes a
 * {@code 400 InvalidArgument} JSON error whose message names the parameter, the value and what to send instead.
 */
public final class RequestParameters {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
        .withResolverStyle(ResolverStyle.STRICT);

    private RequestParameters() {
    }

    /**
     * A domain path parameter as a {@link DomainName}: lower case, without trailing dot, in A-labels (U-labels are
     * converted); parsed here once, where the operator's text enters.
     *
     * @throws HaltException 400 naming the value and what is wrong when it is not a domain name (RFC 8461 4.1:
     *     address literals have no policy)
     */
    public static DomainName domain(Request request, String name) {
        String value = request.params(name);
        return DomainName.parse(value == null ? "" : value).orElseThrow(RequestParameters::badRequest);
    }

    static Optional<String> parseDomain(String value) {
        return DomainName.of(value).map(DomainName::asString);
    }

    /**
     * A UTC day path parameter: {@code yyyy-mm-dd}, or {@code today} / {@code yesterday} (UTC, from {@code clock}).
     *
     * @throws HaltException 400 for anything else
     */
    public static LocalDate day(Request request, String name, Clock clock) {
        String value = request.params(name);
        return parseDay(value, clock).orElseThrow(() -> badRequest("'" + value + "' is not a day: use yyyy-mm-dd"
            + " (a UTC day, e.g. 2026-11-22), today or yesterday"));
    }

    static Optional<LocalDate> parseDay(String value, Clock clock) {
        if (value == null) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (value.equals("today")) {
            return Optional.of(today);
        }
        if (value.equals("yesterday")) {
            return Optional.of(today.minusDays(1));
        }
        try {
            return Optional.of(LocalDate.parse(value, DAY));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The {@code action} query parameter.
     *
     * @throws HaltException 400 when it is missing or not one of {@code allowed}
     */
    public static String action(Request request, Set<String> allowed) {
        String value = request.queryParams("action");
        if (value == null || !allowed.contains(value)) {
            throw badRequest((value == null ? "the action query parameter is missing" : "unknown action '" + value + "'")
                + ": use action=" + String.join(" or action=", new TreeSet<>(allowed)));
        }
        return value;
    }

    /**
     * An optional whole-number query parameter within {@code [min, max]}.
     *
     * @throws HaltException 400 when present but not such a number
     */
    public static int intParameter(Request request, String name, int defaultValue, int min, int max) {
        String value = request.queryParams(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw badRequest(name + "='" + value + "' is invalid: use a whole number from " + min + " to " + max);
    }

    /**
     * An optional {@code true} / {@code false} query parameter.
     *
     * @throws HaltException 400 for any other value
     */
    public static Optional<Boolean> booleanParameter(Request request, String name) {
        String value = request.queryParams(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value.equals("true") || value.equals("false")) {
            return Optional.of(Boolean.valueOf(value));
        }
        throw badRequest(name + "='" + value + "' is invalid: use true or false");
    }

    /** A {@code 400 InvalidArgument} error to throw. */
    public static HaltException badRequest(String message) {
        return ErrorResponder.builder().statusCode(400).type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
            .message(message).haltError();
    }

    /** A {@code 404 notFound} error to throw. */
    public static HaltException notFound(String message) {
        return ErrorResponder.builder().statusCode(404).type(ErrorResponder.ErrorType.NOT_FOUND)
            .message(message).haltError();
    }

    /** A {@code 409 WrongState} error to throw: the request is valid but the server is not set up to serve it. */
    public static HaltException conflict(String message) {
        return ErrorResponder.builder().statusCode(409).type(ErrorResponder.ErrorType.WRONG_STATE)
            .message(message).haltError();
    }

    /** A {@code 503 ServerError} error to throw: the database failed; the message names it and what to check. */
    public static HaltException unavailable(String message) {
        return ErrorResponder.builder().statusCode(503).type(ErrorResponder.ErrorType.SERVER_ERROR)
            .message(message).haltError();
    }
}
