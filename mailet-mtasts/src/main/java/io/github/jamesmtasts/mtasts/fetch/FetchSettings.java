package io.github.jamesmtasts.mtasts.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.net.TrustSettings;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;

/**
 * How {@link HttpsPolicyFetcher} fetches policies. Immutable; start from {@link #defaults()} and use the
 * {@code with...} methods. Limits can only be tightened: RFC 8461 bounds both the size and the time of a fetch.
 */
public final class FetchSettings {

    /** RFC 8461 3.3: "a maximum size of 64 KB" for the policy body. */
    public static final int MAX_POLICY_BYTES = 64 * 1024;
    /** RFC 8461 3.3: "a timeout of ... 60 seconds" for the whole fetch. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    /** RFC 8461 3.3: the policy is served over HTTPS on the default port. */
    public static final int HTTPS_PORT = 443;
    /**
     * The conf/mta-sts.properties key that holds {@link #allowNetworks()} (the CLI has --allow-network): the name refusal messages
     * tell the administrator to change.
     */
    public static final String ALLOW_NETWORKS_SETTING = "fetch." + TrustSettings.ALLOW_NETWORKS;

    private final Duration timeout;
    private final int maxBytes;
    private final boolean strictMediaType;
    private final Optional<TrustSource> trust;
    private final List<Cidr> allowNetworks;
    private final int port;

    private FetchSettings(Duration timeout, int maxBytes, boolean strictMediaType, Optional<TrustSource> trust,
                          List<Cidr> allowNetworks, int port) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.strictMediaType = strictMediaType;
        this.trust = trust;
        this.allowNetworks = List.copyOf(allowNetworks);
        this.port = port;
    }

    /** 60 s, 64 KiB, text/plain required, JVM default trust, public addresses only, port 443. */
    public static FetchSettings defaults() {
        return new FetchSettings(MAX_TIMEOUT, MAX_POLICY_BYTES, true, Optional.empty(), List.of(), HTTPS_PORT);
    }

    /** One deadline covering DNS-checked connect, TLS handshake, response headers and the whole body; 1 ms to 60 s. */
    public FetchSettings withTimeout(Duration value) {
        if (value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("policy fetch timeout must be more than 0 and at most 60 seconds"
                + " (RFC 8461 3.3), got " + value);
        }
        return new FetchSettings(value, maxBytes, strictMediaType, trust, allowNetworks, port);
    }

    /** true (default): a response that is not {@code text/plain} is a fetch error; false: any media type is read. */
    public FetchSettings withStrictMediaType(boolean value) {
        return new FetchSettings(timeout, maxBytes, value, trust, allowNetworks, port);
    }

    /** Trust these CAs instead of the JVM's default trust store. */
    public FetchSettings withTrust(TrustSource value) {
        return new FetchSettings(timeout, maxBytes, strictMediaType, Optional.of(value), allowNetworks, port);
    }

    /** Networks a policy host may resolve into even though they are not public (SSRF guard exceptions). */
    public FetchSettings withAllowNetworks(List<Cidr> value) {
        return new FetchSettings(timeout, maxBytes, strictMediaType, trust, value, port);
    }

    /**
     * The TCP port of policy hosts. RFC 8461 3.3 means 443, which James always uses; another port exists only for
     * {@code mta-sts check --policy-port}, to diagnose a test setup serving policies from an unprivileged port.
     */
    public FetchSettings withPort(int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + value);
        }
        return new FetchSettings(timeout, maxBytes, strictMediaType, trust, allowNetworks, value);
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public boolean strictMediaType() {
        return strictMediaType;
    }

    public Optional<TrustSource> trust() {
        return trust;
    }

    public List<Cidr> allowNetworks() {
        return allowNetworks;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FetchSettings)) {
            return false;
        }
        FetchSettings that = (FetchSettings) o;
        return maxBytes == that.maxBytes && strictMediaType == that.strictMediaType && port == that.port
            && timeout.equals(that.timeout) && trust.equals(that.trust) && allowNetworks.equals(that.allowNetworks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeout, maxBytes, strictMediaType, trust, allowNetworks, port);
    }

    @Override
    public String toString() {
        return "FetchSettings{timeout=" + timeout + ", maxBytes=" + maxBytes + ", strictMediaType=" + strictMediaType
            + trust.map(t -> ", trust=" + t).orElse("") + ", allowNetworks=" + allowNetworks
            + (port == HTTPS_PORT ? "" : ", port=" + port) + "}";
    }
}
