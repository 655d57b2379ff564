package io.github.jamesmtasts.mtasts.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.Cidr;

/**
 * SSRF guard for policy hosts. {@code mta-sts.<domain>} is named by whoever controls the recipient domain, so before
 * fetching we resolve it and refuse when any address is loopback, private, link-local, unique-local, multicast or
 * unspecified (see {@link AddressGuard}), unless the administrator allow-listed its network.
 *
 * <p>Residual TOCTOU: {@code HttpClient} resolves the name again when it connects, so a DNS answer that changes
 * between the two lookups could slip past this check. The JVM's positive {@code InetAddress} cache (30 s by default,
 * {@code networkaddress.cache.ttl}) makes the second lookup return the cached first answer in practice; an attacker
 * would need that cache disabled. Connecting to the checked address directly would defeat SNI/hostname handling in
 * {@code HttpClient}, which offers no hook to pin the address.
 */
final class PolicyHostGuard {

    /** How names are resolved; {@code InetAddress::getAllByName} in production. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AddressGuard guard;
    private final Resolver resolver;

    PolicyHostGuard(List<Cidr> allowNetworks, Resolver resolver) {
        this.guard = AddressGuard.allowing(allowNetworks);
        this.resolver = resolver;
    }

    /** @return why fetching from {@code host} is refused, or empty when every address it resolves to is permitted */
    Optional<String> refusal(String host) {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of(host + " does not resolve to any address; publish an A or AAAA record for it");
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = guard.refusal(address);
            if (refused.isPresent()) {
                // One internal address is enough to refuse: HttpClient may pick any of them.
                return Optional.of(host + " resolves to " + address.getHostAddress() + ", which is not a public address;"
                    + " refusing to fetch from it (SSRF guard). If this policy host is intended, add its network to "
                    + FetchSettings.ALLOW_NETWORKS_SETTING + " in conf/mta-sts.properties (--allow-network in the CLI)");
            }
        }
        return Optional.empty();
    }
}
