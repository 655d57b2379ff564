package io.github.jamesmtasts.mtasts.james.webadmin;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.james.DaneLookups;
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
 * delivery to the domain would see. Until a delivery mailet enables DANE ({@code mtasts.dane},
 * {@code mtasts.daneOverrides}) there is no such lookup, and the route answers 409.
 */
public class MtaStsDaneRoutes implements Routes {

    public static final String BASE_PATH = "/mta-sts/dane";
    private static final String DOMAIN = ":domain";
    private static final String DOMAIN_PATH = BASE_PATH + "/" + DOMAIN;

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsDaneRoutes.class);

    private final Supplier<Optional<DaneLookup>> lookup;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public MtaStsDaneRoutes(DaneLookups lookups) {
        this(lookups::opened);
    }

    /** @param lookup the delivery's DANE lookup; empty while DANE is not enabled */
    public MtaStsDaneRoutes(Supplier<Optional<DaneLookup>> lookup) {
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
        DomainName domain = RequestParameters.domain(request, DOMAIN);
        DaneLookup dane = lookup.get().orElseThrow(() -> RequestParameters.conflict("DANE is not enabled on this"
            + " node, so " + domain + " was not looked up: set " + MtaStsDeliverySettings.DANE + "=true (or "
            + MtaStsDeliverySettings.DANE_OVERRIDES + ") on MtaStsRemoteDelivery in mailetcontainer.xml, with a"
            + " DNSSEC-validating resolver path (dane.* in conf/mta-sts.properties, docs/dane.md)"));
        DaneDomain answer = dane.lookup(domain);
        LOGGER.debug("WebAdmin DANE lookup of {}: {}", domain, answer);
        return new DaneDomainDto(answer);
    }
}
