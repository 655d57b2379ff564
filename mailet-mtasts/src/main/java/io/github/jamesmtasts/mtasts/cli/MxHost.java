package io.github.jamesmtasts.mtasts.cli;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One MX host of a domain as DNS gave it: name (no trailing dot), preference and its addresses (A first, then AAAA). */
public final class MxHost {

    private final String host;
    private final int preference;
    private final List<InetAddress> addresses;
    private final Optional<String> addressError;

    private MxHost(String host, int preference, List<InetAddress> addresses, Optional<String> addressError) {
        this.host = Objects.requireNonNull(host);
        this.preference = preference;
        this.addresses = List.copyOf(addresses);
        this.addressError = addressError;
    }

    public static MxHost of(String host, int preference, List<InetAddress> addresses) {
        return new MxHost(host, preference, addresses, Optional.empty());
    }

    /** The host's addresses could not be looked up, or it has none. */
    public static MxHost unresolved(String host, int preference, String error) {
        return new MxHost(host, preference, List.of(), Optional.of(error));
    }

    public String host() {
        return host;
    }

    public int preference() {
        return preference;
    }

    public List<InetAddress> addresses() {
        return addresses;
    }

    public Optional<String> addressError() {
        return addressError;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MxHost)) {
            return false;
        }
        MxHost that = (MxHost) o;
        return preference == that.preference && host.equals(that.host) && addresses.equals(that.addresses)
            && addressError.equals(that.addressError);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, preference, addresses, addressError);
    }

    @Override
    public String toString() {
        return preference + " " + host + " " + addresses + addressError.map(e -> " (" + e + ")").orElse("");
    }
}
