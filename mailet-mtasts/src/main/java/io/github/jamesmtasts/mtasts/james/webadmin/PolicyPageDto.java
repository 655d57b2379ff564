package io.github.jamesmtasts.mtasts.james.webadmin;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** JSON of {@code GET /mta-sts/policies}: one page of the matching cached policies and how many match in all. */
@JsonPropertyOrder({"total", "offset", "limit", "policies"})
public final class PolicyPageDto {

    private final int total;
    private final int offset;
    private final int limit;
    private final List<CachedPolicyDto> policies;

    PolicyPageDto(int total, int offset, int limit, List<CachedPolicyDto> policies) {
        this.total = total;
        this.offset = offset;
        this.limit = limit;
        this.policies = policies;
    }

    public int getTotal() {
        return total;
    }

    public int getOffset() {
        return offset;
    }

    public int getLimit() {
        return limit;
    }

    public List<CachedPolicyDto> getPolicies() {
        return policies;
    }
}
