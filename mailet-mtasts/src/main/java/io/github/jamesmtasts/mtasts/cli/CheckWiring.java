package io.github.jamesmtasts.mtasts.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSocket;

import org.xbill.DNS.Lookup;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.dane.DaneSettings;
import io.github.jamesmtasts.mtasts.dane.DaneTls;
import io.github.jamesmtasts.mtasts.dane.DnssecTrustAnchors;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.discover.StsRecordDiscovery;
import io.github.jamesmtasts.mtasts.fetch.FetchSettings;
import io.github.jamesmtasts.mtasts.fetch.HttpsPolicyFetcher;
import io.github.jamesmtasts.tlsrpt.dns.DnsJavaTxtResolver;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;

/** Builds the {@link DomainCheck} that {@link CheckOptions} describe, from the same parts delivery uses. */
final class CheckWiring {

    private static final String FALLBACK_EHLO_NAME = "localhost";

    private CheckWiring() {
    }

    /** @throws UsageException when the DNS server or the trust store given cannot be used */
    static DomainCheck domainCheck(CheckOptions options) throws UsageException {
        // One trust store for the policy host and the MX hosts alike, as a sending MTA configured with it would.
        Optional<TrustSource> trustStore = options.trustStore()
            .map(file -> TrustSource.of(file, Optional.empty(), options.trustStorePassword()));
        TrustAnchors trust;
        try {
            trust = trustStore.map(TrustAnchors::load).orElseGet(TrustAnchors::jvmDefault);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--trust-store: " + e.getMessage(), e);
        }
        FetchSettings settings = FetchSettings.defaults()
            .withTimeout(options.timeout())
            .withAllowNetworks(options.allowedNetworks())
            .withPort(options.policyPort());
        if (trustStore.isPresent()) {
            settings = settings.withTrust(trustStore.get());
        }
        HttpsPolicyFetcher fetcher;
        try {
            fetcher = new HttpsPolicyFetcher(settings, GuardedConnector.Resolver.JVM);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--trust-store: " + e.getMessage(), e);
        }
        Resolver resolver = resolver(options.dns(), options.timeout());
        String ehlo = options.ehloName().orElseGet(CheckWiring::localName);
        Optional<DaneLookup> dane = options.dane() ? Optional.of(daneLookup(options)) : Optional.empty();
        Optional<DaneSockets> daneSockets = dane.map(lookup -> CheckWiring::daneTls);
        return new DomainCheck(new StsRecordDiscovery(DnsJavaTxtResolver.using(resolver)), fetcher,
            new MxLookup(resolver), new SmtpTlsProbe(trust, options.smtpPort(), options.timeout(), ehlo, daneSockets),
            dane);
    }

    /**
     * The delivery's DNSSEC-validating lookup ({@link DaneSettings}, as {@code dane.*} in conf/mta-sts.properties):
     * upstream {@code --dns} (else the system's resolvers), trust anchors {@code --trust-anchors} (else the root's
     * KSKs), each query bounded by {@code --timeout}.
     */
    static DaneLookup daneLookup(CheckOptions options) throws UsageException {
        DaneSettings settings = DaneSettings.defaults().withQueryTimeout(options.timeout());
        if (options.dns().isPresent()) {
            DnsServer dns = options.dns().get();
            InetSocketAddress address = new InetSocketAddress(dns.host(), dns.port());
            if (address.isUnresolved()) {
                throw new UsageException("--dns " + dns + ": cannot resolve " + dns.host() + "; give an IP address");
            }
            settings = settings.withResolvers(List.of(address));
        }
        if (options.trustAnchors().isPresent()) {
            try {
                settings = settings.withTrustAnchors(DnssecTrustAnchors.fromFile(options.trustAnchors().get()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--trust-anchors: " + e.getMessage(), e);
            }
        }
        // The whole domain lookup stays bounded like the rest of the check: a few queries' worth.
        Duration deadline = options.timeout().multipliedBy(4);
        settings = settings.withLookupDeadline(deadline.compareTo(DaneSettings.MAX_LOOKUP_DEADLINE) > 0
            ? DaneSettings.MAX_LOOKUP_DEADLINE : deadline);
        return settings.open(Clock.systemUTC());
    }

    /** The delivery's DANE TLS (RFC 7672 3, 8.1): the DANE trust manager, TLS 1.2+, SNI, no JSSE name check. */
    private static SSLSocket daneTls(Socket connection, MxDane host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) DaneTls.clientContext(host, Clock.systemUTC()).getSocketFactory()
            .createSocket(connection, host.mxHost().asString(), port, true);
        return DaneTls.configure(socket, host.mxHost());
    }

    /** {@code dns} (from --dns) or the system's resolver, each query bounded by {@code timeout}. */
    static Resolver resolver(Optional<DnsServer> server, java.time.Duration timeout) throws UsageException {
        Resolver resolver;
        if (server.isPresent()) {
            DnsServer dns = server.get();
            InetSocketAddress address = new InetSocketAddress(dns.host(), dns.port());
            if (address.isUnresolved()) {
                throw new UsageException("--dns " + dns + ": cannot resolve " + dns.host() + "; give an IP address");
            }
            resolver = new SimpleResolver(address);
        } else {
            // dnsjava's default: the system's name servers (resolv.conf and the like).
            resolver = Lookup.getDefaultResolver();
        }
        resolver.setTimeout(timeout);
        return resolver;
    }

    /** RFC 5321 4.1.1.1: EHLO carries our fully qualified name; "localhost" when the system does not know it. */
    private static String localName() {
        try {
            // The configured host name, without a reverse lookup that could stall or hand back an IP address.
            String name = InetAddress.getLocalHost().getHostName();
            return name.contains(".") && !name.matches("[0-9.:]+") ? name : FALLBACK_EHLO_NAME;
        } catch (UnknownHostException e) {
            return FALLBACK_EHLO_NAME;
        }
    }
}
