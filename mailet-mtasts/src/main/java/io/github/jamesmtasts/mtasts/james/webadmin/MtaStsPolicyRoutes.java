package io.github.jamesmtasts.mtasts.james.webadmin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.james.webadmin.RequestParameters;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.store.StoreException;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of the MTA-STS policy cache (RFC 8461 3.3), enabled in {@code webadmin.properties}
 * ({@code extensions.routes=io.github.jamesmtasts.mtasts.james.webadmin.MtaStsPolicyRoutes}):
 * <ul>
 *   <li>{@code GET /mta-sts/policies?mode=enforce&failing=true&offset=0&limit=100}: cached policies, by domain</li>
 *   <li>{@code GET /mta-sts/policies/{domain}}: one cached policy</li>
 *   <li>{@code POST /mta-sts/policies/{domain}?action=refresh}: look up the TXT record and fetch the policy now (even
 *       under an unchanged id; a failed fetch keeps the cached policy), and answer the resulting decision</li>
 *   <li>{@code DELETE /mta-sts/policies/{domain}}: forget the cached policy; the next delivery fetches it again</li>
 * </ul>
 * They show this node's cache, the policies its deliveries apply. In a cluster, other nodes pick up a refreshed policy
 * from the shared store at their next check of the domain; a forgotten one they keep, and write back, until they
 * forget it too (docs/operations.md).
 */
public class MtaStsPolicyRoutes implements Routes {

    public static final String BASE_PATH = "/mta-sts/policies";
    private static final String DOMAIN = ":domain";
    private static final String DOMAIN_PATH = BASE_PATH + "/" + DOMAIN;
    private static final String REFRESH = "refresh";

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsPolicyRoutes.class);

    private final DefaultPolicyResolver resolver;
    private final Clock clock;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public MtaStsPolicyRoutes(DefaultPolicyResolver resolver, Clock clock) {
        this.resolver = Objects.requireNonNull(resolver);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, this::list, json);
        service.get(DOMAIN_PATH, this::show, json);
        service.post(DOMAIN_PATH, this::refresh, json);
        service.delete(DOMAIN_PATH, this::forget);
    }

    private PolicyPageDto list(Request request, Response response) {
        PolicyListQuery query = new PolicyListQuery(mode(request), RequestParameters.booleanParameter(request, "failing"),
            RequestParameters.intParameter(request, "offset", 0, 0, Integer.MAX_VALUE),
            RequestParameters.intParameter(request, "limit", PolicyListQuery.DEFAULT_LIMIT, 1, PolicyListQuery.MAX_LIMIT));
        List<CachedPolicy> matching = query.select(resolver.cachedPolicies());
        Instant now = clock.instant();
        return new PolicyPageDto(matching.size(), query.offset(), query.limit(),
            query.page(matching).stream().map(p -> CachedPolicyDto.of(p, now, resolver.healing(p.domain())))
                .collect(Collectors.toList()));
    }

    private static Optional<Mode> mode(Request request) {
        String value = request.queryParams("mode");
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(Mode.fromToken(value).orElseThrow(() -> RequestParameters.badRequest("mode='" + value
            + "' is invalid: use enforce, testing or none (RFC 8461 3.2)")));
    }

    private CachedPolicyDto show(Request request, Response response) {
        DomainName domain = RequestParameters.domain(request, DOMAIN);
        CachedPolicy cached = resolver.cached(domain).orElseThrow(() -> RequestParameters.notFound("no MTA-STS policy"
            + " of " + domain + " is cached on this node; POST " + BASE_PATH + "/" + domain + "?action=refresh"
            + " looks it up now"));
        return CachedPolicyDto.of(cached, clock.instant(), resolver.healing(domain));
    }

    private RefreshResultDto refresh(Request request, Response response) {
        RequestParameters.action(request, Set.of(REFRESH));
        DomainName domain = RequestParameters.domain(request, DOMAIN);
        // RFC 8461 5.1: the check a sender makes before failing a message: TXT id now, fetch when it changed.
        PolicyDecision decision = resolver.refetch(domain);
        Optional<CachedPolicy> cached = resolver.cached(domain);
        LOGGER.info("WebAdmin refresh of the MTA-STS policy of {}: {}{}", domain, decision,
            cached.flatMap(CachedPolicy::lastFailure).map(f -> "; last failure: " + f).orElse(""));
        Instant now = clock.instant();
        return new RefreshResultDto(decision, cached.map(c -> CachedPolicyDto.of(c, now, resolver.healing(domain))));
    }

    private String forget(Request request, Response response) {
        DomainName domain = RequestParameters.domain(request, DOMAIN);
        boolean inMemory = resolver.cached(domain).isPresent();
        boolean stored;
        try {
            stored = resolver.forget(domain);
        } catch (StoreException e) {
            LOGGER.error("WebAdmin could not delete the stored MTA-STS policy of {}", domain, e);
            throw RequestParameters.unavailable(e.getMessage());
        }
        if (!inMemory && !stored) {
            throw RequestParameters.notFound("no MTA-STS policy of " + domain + " is cached: nothing to delete");
        }
        LOGGER.info("WebAdmin deleted the cached MTA-STS policy of {}; the next delivery fetches it again", domain);
        return Responses.returnNoContent(response);
    }
}
