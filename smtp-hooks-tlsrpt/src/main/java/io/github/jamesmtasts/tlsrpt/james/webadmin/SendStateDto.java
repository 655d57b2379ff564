package io.github.jamesmtasts.tlsrpt.james.webadmin;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.github.jamesmtasts.tlsrpt.store.SendState;

/** JSON of one report destination's send state (RFC 8460 5.5: each rua is tracked on its own). */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({"policyDomain", "rua", "status", "attempts", "firstAttempt", "lastAttempt", "nextAttempt",
    "leaseUntil", "finishedAt", "lastNode", "lastError"})
public final class SendStateDto {

    private final SendState state;

    private SendStateDto(SendState state) {
        this.state = state;
    }

    static SendStateDto of(SendState state) {
        return new SendStateDto(state);
    }

    public String getPolicyDomain() {
        return state.policyDomain();
    }

    public String getRua() {
        return state.rua();
    }

    /** {@code claimed}, {@code retry-waiting}, {@code sent} or {@code gave-up}. */
    public String getStatus() {
        return state.status().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public int getAttempts() {
        return state.attempts();
    }

    public String getFirstAttempt() {
        return state.firstAttempt().toString();
    }

    public String getLastAttempt() {
        return state.lastAttempt().toString();
    }

    public Optional<String> getNextAttempt() {
        return state.nextAttempt().map(Instant::toString);
    }

    public Optional<String> getLeaseUntil() {
        return state.leaseUntil().map(Instant::toString);
    }

    public Optional<String> getFinishedAt() {
        return state.finishedAt().map(Instant::toString);
    }

    public Optional<String> getLastNode() {
        return state.lastNode();
    }

    public Optional<String> getLastError() {
        return state.lastError();
    }
}
