package io.github.jamesmtasts.mtasts.james.webadmin;

import java.util.Objects;
import java.util.Optional;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.tlsrpt.james.webadmin.RequestParameters;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin view of DANE (RFC 7672), enabled in {@code webadmin.properties}
 * ({@code extensions.routes=io.github.jamesmtasts.mtasts.james.webadmin.MtaStsDaneRoutes}):
 * <ul>
 *   <li>{@code GET /mta-sts/dane/{domain}}: what the DNSSEC-validated lookups of the delivery say about the domain
 *       now ({@link DaneDomainDto}): its MX RRset's state and every MX host's TLSA records</li>
 * </ul>
 * It asks the very {@link DaneLookup} the delivery mailet uses (its cache included), so it shows what the next
 * delivery to the domain would see.
 */
public class MtaStsDaneRoutes implements Routes {

    public static final String BASE_PATH = "/mta-sts/dane";
    private static final String DOMAIN = ":domain";
    private static final String DOMAIN_PATH = BASE_PATH + "/" + DOMAIN;

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsDaneRoutes.class);

    private final Optional<DaneLookup> lookup;
    private final JsonTransformer json = new JsonTransformer();

    /** @param lookup the delivery's DANE lookup; empty when DANE is not enabled */
    public MtaStsDaneRoutes(Optional<DaneLookup> lookup) {
        this.lookup = Objects.requireNonNull(lookup);
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(DOMAIN_PATH, this::show, json);
    }

    private DaneDomainDto show(Request request, Response response) {
        DomainName domain = DomainName.of(RequestParameters.domain(request, DOMAIN)).orElseThrow();
        DaneLookup dane = lookup.orElseThrow(() -> RequestParameters.conflict("DANE is not enabled on this node:"
            + " set dane.enabled=true in conf/mta-sts.properties (docs/dane.md) to look up " + domain));
        DaneDomain answer = dane.lookup(domain);
        LOGGER.debug("WebAdmin DANE lookup of {}: {}", domain, answer);
        return new DaneDomainDto(answer);
    }
}
