package io.github.jamesmtasts.mtasts.deliver;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.net.TrustSettings;
import io.github.jamesmtasts.tlsrpt.net.TrustSource;

/**
 * The MTA-STS parameters of the delivery mailet, on top of every stock RemoteDelivery parameter. Parsing fails
 * with an {@link IllegalArgumentException} whose message names the parameter and the accepted values.
 *
 * <ul>
 *   <li>{@code mtasts.enabled} (true): false delivers exactly like the stock mailet and records nothing.</li>
 *   <li>{@code mtasts.domainOverrides}: {@code example.com:disable, other.example:enforce, x.net:testing}.</li>
 *   <li>{@code mtasts.reportMailHeader} ({@code TLS-Required}): the name of the RFC 8689 header; a mail whose header
 *       of this name has the value {@code No} is delivered despite TLS failures and not recorded, when
 *       {@code mtasts.tlsRequiredHeader} trusts its origin.</li>
 *   <li>{@code mtasts.tlsRequiredHeader} ({@code authenticated}): whose header is honoured: {@code authenticated}
 *       (SMTP AUTH or relay networks), {@code any}, {@code never}. Our own report mails are recognised by a Mail
 *       attribute whatever this says.</li>
 *   <li>{@code mtasts.trustStore}, {@code mtasts.trustStoreType} (PEM, PKCS12 or JKS; recognised from the content
 *       when absent), {@code mtasts.trustStorePassword}: the PKIX anchors for MX certificates; the JVM default trust
 *       store when absent.</li>
 *   <li>{@code mtasts.opportunisticTls} (true): domains without a policy (and {@code mode: none}) get STARTTLS with any
 *       certificate and one plaintext retry after a failed handshake, {@code testing} domains that retry too (RFC 7435,
 *       see {@link TlsPlan}); false keeps the stock mailet's certificate checks for them and never retries in
 *       plaintext.</li>
 *   <li>{@code mtasts.dane} (false): DANE for SMTP (RFC 7672) where a recipient domain publishes it; needs DNSSEC
 *       validation (conf/mta-sts.properties {@code dane.*}).</li>
 *   <li>{@code mtasts.daneOverrides}: {@code example.com:required, other.example:off, x.net:on} ({@link DaneOverride}).</li>
 *   <li>{@code deliveryThreads} (10 per CPU core, as stock RemoteDelivery's Reactor pool): parallel deliveries.</li>
 * </ul>
 */
public final class MtaStsDeliverySettings {

    public static final String ENABLED = "mtasts.enabled";
    public static final String DOMAIN_OVERRIDES = "mtasts.domainOverrides";
    public static final String REPORT_MAIL_HEADER = "mtasts.reportMailHeader";
    public static final String TLS_REQUIRED_HEADER = "mtasts.tlsRequiredHeader";
    public static final String OPPORTUNISTIC_TLS = "mtasts.opportunisticTls";
    public static final String DANE = "mtasts.dane";
    public static final String DANE_OVERRIDES = "mtasts.daneOverrides";
    /** MX hosts' trust in the one scheme: {@code mtasts.trustStore}, {@code mtasts.trustStoreType}, {@code mtasts.trustStorePassword}. */
    public static final TrustSettings MX_TRUST = TrustSettings.scope("mtasts");
    public static final String TRUST_STORE = MX_TRUST.name(TrustSettings.TRUST_STORE);
    public static final String TRUST_STORE_TYPE = MX_TRUST.name(TrustSettings.TRUST_STORE_TYPE);
    public static final String TRUST_STORE_PASSWORD = MX_TRUST.name(TrustSettings.TRUST_STORE_PASSWORD);
    public static final String DELIVERY_THREADS = "deliveryThreads";

    public static final String DEFAULT_REPORT_MAIL_HEADER = "TLS-Required";
    private static final int MAX_DELIVERY_THREADS = 256;
    /**
     * Stock James 3.8.1 RemoteDelivery has no thread setting: it delivers on Reactor's bounded elastic pool, 10 threads
     * per core. Deliveries mostly wait on remote servers, so the same width keeps our throughput equal to stock's.
     */
    static final int DEFAULT_DELIVERY_THREADS = Math.min(MAX_DELIVERY_THREADS, 10 * Runtime.getRuntime().availableProcessors());

    private final boolean enabled;
    private final Map<DomainName, DomainOverride> overrides;
    private final String reportMailHeader;
    private final TlsRequiredHeader tlsRequiredHeader;
    private final boolean opportunisticTls;
    private final Optional<TrustSource> trustStore;
    private final int deliveryThreads;
    private final boolean dane;
    private final Map<DomainName, DaneOverride> daneOverrides;

    private MtaStsDeliverySettings(boolean enabled, Map<DomainName, DomainOverride> overrides, String reportMailHeader,
                                   TlsRequiredHeader tlsRequiredHeader, boolean opportunisticTls,
                                   Optional<TrustSource> trustStore, int deliveryThreads, boolean dane,
                                   Map<DomainName, DaneOverride> daneOverrides) {
        this.enabled = enabled;
        this.overrides = Map.copyOf(overrides);
        this.reportMailHeader = reportMailHeader;
        this.tlsRequiredHeader = tlsRequiredHeader;
        this.opportunisticTls = opportunisticTls;
        this.trustStore = trustStore;
        this.deliveryThreads = deliveryThreads;
        this.dane = dane;
        this.daneOverrides = Map.copyOf(daneOverrides);
    }

    public static MtaStsDeliverySettings defaults() {
        return parse(name -> Optional.empty());
    }

    /** @param parameters the mailet's init parameters; blank values count as absent */
    public static MtaStsDeliverySettings parse(Function<String, Optional<String>> parameters) {
        Function<String, Optional<String>> p = name -> parameters.apply(name).map(String::trim).filter(v -> !v.isEmpty());
        boolean enabled = p.apply(ENABLED).map(v -> parseBoolean(ENABLED, v)).orElse(true);
        Map<DomainName, DomainOverride> overrides = p.apply(DOMAIN_OVERRIDES).map(v -> parseOverrides(DOMAIN_OVERRIDES, v,
            DomainOverride::fromToken, DomainOverride.acceptedTokens(), "'example.com:disable, other.example:enforce'"))
            .orElse(Map.of());
        boolean dane = p.apply(DANE).map(v -> parseBoolean(DANE, v)).orElse(false);
        Map<DomainName, DaneOverride> daneOverrides = p.apply(DANE_OVERRIDES).map(v -> parseOverrides(DANE_OVERRIDES, v,
            DaneOverride::fromToken, DaneOverride.acceptedTokens(), "'example.com:required, other.example:off'"))
            .orElse(Map.of());
        String header = p.apply(REPORT_MAIL_HEADER).map(MtaStsDeliverySettings::parseHeaderName)
            .orElse(DEFAULT_REPORT_MAIL_HEADER);
        TlsRequiredHeader tlsRequired = p.apply(TLS_REQUIRED_HEADER).map(v -> TlsRequiredHeader.fromToken(v)
            .orElseThrow(() -> new IllegalArgumentException(TLS_REQUIRED_HEADER + ": unknown value '" + v
                + "'; accepted: " + TlsRequiredHeader.acceptedTokens())))
            .orElse(TlsRequiredHeader.AUTHENTICATED);
        boolean opportunisticTls = p.apply(OPPORTUNISTIC_TLS).map(v -> parseBoolean(OPPORTUNISTIC_TLS, v)).orElse(true);
        Optional<TrustSource> trustStore = MX_TRUST.trustSource(p, Path::of);
        int threads = p.apply(DELIVERY_THREADS).map(MtaStsDeliverySettings::parseThreads).orElse(DEFAULT_DELIVERY_THREADS);
        return new MtaStsDeliverySettings(enabled, overrides, header, tlsRequired, opportunisticTls, trustStore, threads,
            dane, daneOverrides);
    }

    private static boolean parseBoolean(String name, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(name + ": '" + value + "' is not a boolean; use true or false");
    }

    private static <T> Map<DomainName, T> parseOverrides(String parameter, String value,
                                                     Function<String, Optional<T>> fromToken, String accepted,
                                                     String example) {
        Map<DomainName, T> overrides = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException(parameter + ": '" + e + "' is not domain:mode; write e.g. "
                    + example + " with mode one of " + accepted);
            }
            DomainName domain = DomainName.parse(e.substring(0, colon).trim())
                .orElseThrow(problem -> new IllegalArgumentException(parameter + ": " + problem));
            String mode = e.substring(colon + 1);
            T override = fromToken.apply(mode).orElseThrow(() -> new IllegalArgumentException(
                parameter + ": unknown mode '" + mode.trim() + "' for " + domain + "; accepted: " + accepted));
            if (overrides.put(domain, override) != null) {
                throw new IllegalArgumentException(parameter + ": " + domain + " is listed twice; keep one entry");
            }
        }
        return overrides;
    }

    private static String parseHeaderName(String value) {
        // RFC 5322 2.2: field names are printable ASCII except ':'.
        if (!value.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new IllegalArgumentException(REPORT_MAIL_HEADER + ": '" + value
                + "' is not a header field name; use e.g. " + DEFAULT_REPORT_MAIL_HEADER);
        }
        return value;
    }

    private static int parseThreads(String value) {
        try {
            int threads = Integer.parseInt(value);
            if (threads >= 1 && threads <= MAX_DELIVERY_THREADS) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(DELIVERY_THREADS + ": '" + value + "' must be a number from 1 to "
            + MAX_DELIVERY_THREADS);
    }

    public boolean enabled() {
        return enabled;
    }

    public Optional<DomainOverride> overrideFor(DomainName domain) {
        return Optional.ofNullable(overrides.get(domain));
    }

    /**
     * Whether and how DANE applies to {@code domain}: its {@code mtasts.daneOverrides} entry, else {@code on} with
     * {@code mtasts.dane=true}, else {@code off}.
     */
    public DaneOverride daneFor(DomainName domain) {
        return daneOverrides.getOrDefault(domain, dane ? DaneOverride.ON : DaneOverride.OFF);
    }

    /** Whether any domain may get DANE: only then is a DNSSEC-validating lookup needed. */
    public boolean daneUsed() {
        return enabled && (dane || daneOverrides.values().stream().anyMatch(o -> o != DaneOverride.OFF));
    }

    public String reportMailHeader() {
        return reportMailHeader;
    }

    /** Whose {@code TLS-Required: No} is honoured. */
    public TlsRequiredHeader tlsRequiredHeader() {
        return tlsRequiredHeader;
    }

    /**
     * RFC 7435 opportunistic TLS where no policy asks for authentication: any certificate accepted, one plaintext
     * retry after a failed handshake. False: the stock mailet's strictness for domains without a policy.
     */
    public boolean opportunisticTls() {
        return opportunisticTls;
    }

    /** RFC 8689 3: the header's value {@code No} asks to deliver even when TLS policies fail. */
    public boolean isTlsOptional(String[] headerValues) {
        if (headerValues == null) {
            return false;
        }
        for (String value : headerValues) {
            if (value != null && value.trim().equalsIgnoreCase("No")) {
                return true;
            }
        }
        return false;
    }

    /** @throws IllegalArgumentException naming the trust store parameters when the store cannot be read */
    public TrustAnchors trust() {
        try {
            return trustStore.map(TrustAnchors::load).orElseGet(TrustAnchors::jvmDefault);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TRUST_STORE + ": " + e.getMessage(), e);
        }
    }

    public int deliveryThreads() {
        return deliveryThreads;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MtaStsDeliverySettings)) {
            return false;
        }
        MtaStsDeliverySettings that = (MtaStsDeliverySettings) o;
        return enabled == that.enabled && deliveryThreads == that.deliveryThreads && overrides.equals(that.overrides)
            && opportunisticTls == that.opportunisticTls
            && reportMailHeader.equals(that.reportMailHeader) && tlsRequiredHeader == that.tlsRequiredHeader
            && trustStore.equals(that.trustStore) && dane == that.dane && daneOverrides.equals(that.daneOverrides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, overrides, reportMailHeader, tlsRequiredHeader, opportunisticTls, trustStore,
            deliveryThreads, dane, daneOverrides);
    }

    @Override
    public String toString() {
        return "MtaStsDeliverySettings{enabled=" + enabled + ", overrides=" + overrides + ", reportMailHeader="
            + reportMailHeader + ", tlsRequiredHeader=" + tlsRequiredHeader.token()
            + ", opportunisticTls=" + opportunisticTls + ", trustStore=" + trustStore.map(TrustSource::toString).orElse("JVM default")
            + ", deliveryThreads=" + deliveryThreads + ", dane=" + dane + ", daneOverrides=" + daneOverrides + "}";
    }
}
