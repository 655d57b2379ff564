package io.github.jamesmtasts.tlsrpt.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one setting name scheme of our TLS clients: {@code <scope>.trustStore}, {@code <scope>.trustStoreType}
 * ({@code PEM}, {@code PKCS12} or {@code JKS}; recognised from the content when absent),
 * {@code <scope>.trustStorePassword} and, for hosts named by remote domains, {@code <scope>.allowNetworks}. The scopes
 * are {@code fetch} (policy hosts, conf/mta-sts.properties), {@code mtasts} (MX hosts, MtaStsRemoteDelivery) and
 * {@code https} (report collectors, TlsRptReportMailet). Names used by earlier versions stay accepted as aliases;
 * giving both a name and its alias is an error, so that no value is silently ignored.
 */
public final class TrustSettings {

    public static final String TRUST_STORE = "trustStore";
    public static final String TRUST_STORE_TYPE = "trustStoreType";
    public static final String TRUST_STORE_PASSWORD = "trustStorePassword";
    public static final String ALLOW_NETWORKS = "allowNetworks";

    private final String scope;
    private final Map<String, String> aliases;

    private TrustSettings(String scope, Map<String, String> aliases) {
        this.scope = Objects.requireNonNull(scope);
        this.aliases = Collections.unmodifiableMap(aliases);
    }

    public static TrustSettings scope(String scope) {
        return new TrustSettings(scope, Map.of());
    }

    /** Accepts {@code oldName} for {@code <scope>.<setting>}. */
    public TrustSettings withAlias(String setting, String oldName) {
        Map<String, String> more = new HashMap<>(aliases);
        more.put(name(setting), oldName);
        return new TrustSettings(scope, more);
    }

    /** {@code <scope>.<setting>}. */
    public String name(String setting) {
        return scope + "." + setting;
    }

    /** Every name these settings are read under, current names and aliases. */
    public List<String> allNames() {
        List<String> names = new ArrayList<>();
        for (String setting : List.of(TRUST_STORE, TRUST_STORE_TYPE, TRUST_STORE_PASSWORD, ALLOW_NETWORKS)) {
            names.add(name(setting));
            Optional.ofNullable(aliases.get(name(setting))).ifPresent(names::add);
        }
        return names;
    }

    /**
     * @param settings the configuration: a name to its value, blank values absent
     * @param paths turns the configured text into a path (relative ones against the working directory)
     * @return the trust store file, or empty for the JVM's default trust anchors
     * @throws IllegalArgumentException naming the setting for a bad type or a password without a store
     */
    public Optional<TrustSource> trustSource(Function<String, Optional<String>> settings, Function<String, Path> paths) {
        Optional<String> file = value(settings, TRUST_STORE);
        Optional<String> type = value(settings, TRUST_STORE_TYPE);
        Optional<String> password = value(settings, TRUST_STORE_PASSWORD);
        if (file.isEmpty()) {
            if (type.isPresent() || password.isPresent()) {
                throw new IllegalArgumentException(nameInUse(settings, type.isPresent() ? TRUST_STORE_TYPE : TRUST_STORE_PASSWORD)
                    + " needs " + name(TRUST_STORE) + ": give the trust store file");
            }
            return Optional.empty();
        }
        Optional<TrustSource.Type> declared;
        try {
            declared = type.map(TrustSource.Type::fromSetting);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(nameInUse(settings, TRUST_STORE_TYPE) + " = '" + type.get()
                + "' is invalid; use PEM, PKCS12 or JKS, or leave it out to recognise the format from the file", e);
        }
        return Optional.of(TrustSource.of(paths.apply(file.get()), declared, password));
    }

    /**
     * @return the address blocks hosts in this scope may resolve into although they are not public
     * @throws IllegalArgumentException naming the setting and the bad block
     */
    public List<Cidr> allowNetworks(Function<String, Optional<String>> settings) {
        List<Cidr> networks = new ArrayList<>();
        Optional<String> value = value(settings, ALLOW_NETWORKS);
        if (value.isPresent()) {
            for (String block : value.get().split("[,\\s]+")) {
                if (!block.isEmpty()) {
                    try {
                        networks.add(Cidr.parse(block));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(nameInUse(settings, ALLOW_NETWORKS) + " = '" + value.get()
                            + "' is invalid; use comma-separated CIDR blocks such as 10.0.0.0/8, fd00::/8 ("
                            + e.getMessage() + ")", e);
                    }
                }
            }
        }
        return networks;
    }

    /** The name {@code setting} is configured under: its old name when only that is set, else the current one. */
    public String nameInUse(Function<String, Optional<String>> settings, String setting) {
        String current = name(setting);
        boolean currentSet = settings.apply(current).filter(v -> !v.isBlank()).isPresent();
        return Optional.ofNullable(aliases.get(current))
            .filter(old -> !currentSet && settings.apply(old).filter(v -> !v.isBlank()).isPresent())
            .orElse(current);
    }

    private Optional<String> value(Function<String, Optional<String>> settings, String setting) {
        String current = name(setting);
        Optional<String> value = settings.apply(current).filter(v -> !v.isBlank());
        Optional<String> alias = Optional.ofNullable(aliases.get(current));
        Optional<String> old = alias.flatMap(settings).filter(v -> !v.isBlank());
        if (value.isPresent() && old.isPresent()) {
            throw new IllegalArgumentException(current + " and its old name " + alias.get() + " are both set: keep only "
                + current);
        }
        return value.or(() -> old).map(String::trim);
    }
}
