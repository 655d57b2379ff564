package io.github.jamesmtasts.mtasts.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The arguments of {@code mta-sts check}. Parsing is pure apart from checking that a trust store file is readable;
 * every problem is a {@link UsageException} naming the argument and what to write instead.
 */
public final class CheckOptions {

    public static final int DEFAULT_SMTP_PORT = 25;
    /** RFC 8461 3.3: policies are served over HTTPS on the default port. */
    public static final int DEFAULT_POLICY_PORT = 443;
    public static final int DEFAULT_DNS_PORT = 53;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** RFC 8461 3.3 (F): a policy fetch must be bounded; we bound every network step the same way. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final boolean json;
    private final boolean dane;
    private final Optional<Path> trustAnchors;
    private final Optional<DnsServer> dns;
    private final Optional<Path> trustStore;
    private final Optional<String> trustStorePassword;
    private final List<Cidr> allowedNetworks;
    private final int smtpPort;
    private final int policyPort;
    private final Duration timeout;
    private final Optional<String> ehloName;
    private final List<DomainName> domains;

    private CheckOptions(Builder b) {
        this.json = b.json;
        this.dane = b.dane;
        this.trustAnchors = b.trustAnchors;
        this.dns = b.dns;
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.allowedNetworks = List.copyOf(b.allowedNetworks);
        this.smtpPort = b.smtpPort;
        this.policyPort = b.policyPort;
        this.timeout = b.timeout;
        this.ehloName = b.ehloName;
        this.domains = List.copyOf(b.domains);
    }

    /**
     * @param args the arguments after {@code check}
     * @throws UsageException for an unknown option, a missing or bad value, no domain, or an unreadable trust store
     */
    public static CheckOptions parse(List<String> args) throws UsageException {
        Builder b = new Builder();
        Iterator<String> it = args.iterator();
        boolean optionsEnded = false;
        while (it.hasNext()) {
            String arg = it.next();
            if (optionsEnded || !arg.startsWith("-") || "-".equals(arg)) {
                b.domains.add(OptionValues.domain(arg));
                continue;
            }
            if ("--".equals(arg)) {
                optionsEnded = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Optional<String> inline = eq < 0 ? Optional.empty() : Optional.of(arg.substring(eq + 1));
            if ("--json".equals(name) || "--dane".equals(name)) {
                if (inline.isPresent()) {
                    throw new UsageException(name + " takes no value");
                }
                if ("--json".equals(name)) {
                    b.json = true;
                } else {
                    b.dane = true;
                }
                continue;
            }
            String value = inline.isPresent() ? inline.get() : next(it, name);
            switch (name) {
                case "--dns":
                    b.dns = Optional.of(DnsServer.parse(value));
                    break;
                case "--trust-store":
                    b.trustStore = Optional.of(OptionValues.readableFile(name, value));
                    break;
                case "--trust-anchors":
                    b.trustAnchors = Optional.of(OptionValues.readableFile(name, value));
                    break;
                case "--trust-store-password":
                    b.trustStorePassword = Optional.of(value);
                    break;
                case "--allow-network":
                    b.allowedNetworks.add(OptionValues.cidr(value));
                    break;
                case "--port":
                    b.smtpPort = OptionValues.port(name, value);
                    break;
                case "--policy-port":
                    b.policyPort = OptionValues.port(name, value);
                    break;
                case "--timeout":
                    b.timeout = OptionValues.timeout(value);
                    break;
                case "--ehlo":
                    b.ehloName = Optional.of(OptionValues.ehlo(value));
                    break;
                default:
                    throw new UsageException("unknown option " + name + " (see mta-sts --help)");
            }
        }
        if (b.domains.isEmpty()) {
            throw new UsageException("no domain given: write mta-sts check [options] DOMAIN...");
        }
        if (b.trustAnchors.isPresent() && !b.dane) {
            throw new UsageException("--trust-anchors is for the DNSSEC validation of --dane: add --dane");
        }
        if (b.trustStorePassword.isPresent() && b.trustStore.isEmpty()) {
            throw new UsageException("--trust-store-password needs --trust-store FILE");
        }
        return new CheckOptions(b);
    }

    private static String next(Iterator<String> it, String name) throws UsageException {
        if (!it.hasNext()) {
            throw new UsageException(name + " needs a value");
        }
        return it.next();
    }

    public boolean json() {
        return json;
    }

    /** Whether to look up DANE (RFC 7672) too, with DNSSEC validation, and judge DANE hosts as a DANE sender. */
    public boolean dane() {
        return dane;
    }

    /** DNSSEC trust anchors (DS or DNSKEY records, zone-file syntax) instead of the root zone's keys. */
    public Optional<Path> trustAnchors() {
        return trustAnchors;
    }

    /** The DNS server to ask; empty means the system resolver (dnsjava's default). */
    public Optional<DnsServer> dns() {
        return dns;
    }

    /** PEM bundle, PKCS12 or JKS file of trust anchors for the policy host and the MX hosts; empty means the JVM's. */
    public Optional<Path> trustStore() {
        return trustStore;
    }

    public Optional<String> trustStorePassword() {
        return trustStorePassword;
    }

    /** Address blocks the policy fetch may connect to although they are not public (SSRF guard allow-list). */
    public List<Cidr> allowedNetworks() {
        return allowedNetworks;
    }

    /** The SMTP port probed on every MX host (25 unless testing). */
    public int smtpPort() {
        return smtpPort;
    }

    /** The HTTPS port of the policy host (443 unless testing). */
    public int policyPort() {
        return policyPort;
    }

    /** Bound for each connect and read (DNS query, policy fetch, SMTP). */
    public Duration timeout() {
        return timeout;
    }

    public Optional<String> ehloName() {
        return ehloName;
    }

    public List<DomainName> domains() {
        return domains;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CheckOptions)) {
            return false;
        }
        CheckOptions that = (CheckOptions) o;
        return json == that.json && dane == that.dane && trustAnchors.equals(that.trustAnchors) && smtpPort == that.smtpPort && policyPort == that.policyPort && dns.equals(that.dns)
            && trustStore.equals(that.trustStore) && trustStorePassword.equals(that.trustStorePassword) && allowedNetworks.equals(that.allowedNetworks)
            && timeout.equals(that.timeout) && ehloName.equals(that.ehloName) && domains.equals(that.domains);
    }

    @Override
    public int hashCode() {
        return Objects.hash(json, dane, trustAnchors, dns, trustStore, trustStorePassword, allowedNetworks, smtpPort, policyPort, timeout,
            ehloName, domains);
    }

    @Override
    public String toString() {
        return "CheckOptions{json=" + json + ", dane=" + dane + ", trustAnchors=" + trustAnchors + ", dns=" + dns + ", trustStore=" + trustStore + ", allow=" + allowedNetworks
            + ", port=" + smtpPort + ", policyPort=" + policyPort + ", timeout=" + timeout + ", ehlo=" + ehloName
            + ", domains=" + domains + "}";
    }

    private static final class Builder {
        private boolean json;
        private boolean dane;
        private Optional<Path> trustAnchors = Optional.empty();
        private Optional<DnsServer> dns = Optional.empty();
        private Optional<Path> trustStore = Optional.empty();
        private Optional<String> trustStorePassword = Optional.empty();
        private final List<Cidr> allowedNetworks = new ArrayList<>();
        private int smtpPort = DEFAULT_SMTP_PORT;
        private int policyPort = DEFAULT_POLICY_PORT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Optional<String> ehloName = Optional.empty();
        private final List<DomainName> domains = new ArrayList<>();
    }
}
