package io.github.jamesmtasts.tlsrpt.james.webadmin;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.github.jamesmtasts.tlsrpt.send.DispatchResult;

/** JSON of what a send or resend did for one policy domain or one of its {@code rua} destinations. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({"policyDomain", "rua", "result", "detail"})
public final class DispatchResultDto {

    private final DispatchResult result;

    private DispatchResultDto(DispatchResult result) {
        this.result = result;
    }

    static DispatchResultDto of(DispatchResult result) {
        return new DispatchResultDto(result);
    }

    public String getPolicyDomain() {
        return result.policyDomain();
    }

    public Optional<String> getRua() {
        return result.rua();
    }

    /** {@code sent}, {@code retry-scheduled}, {@code gave-up}, {@code claim-lost}, {@code no-record}, ... */
    public String getResult() {
        return result.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Optional<String> getDetail() {
        return result.detail();
    }
}
