package io.github.jamesmtasts.mtasts.james;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.james.dnsservice.api.DNSService;

/** James's DNS seen by the mailet: fixed MX and address answers, loopback only. */
final class LoopbackDnsService implements DNSService {

    private final Map<String, List<String>> mx;
    private final Map<String, String> addresses;

    LoopbackDnsService(Map<String, List<String>> mx, Map<String, String> addresses) {
        this.mx = Map.copyOf(mx);
        this.addresses = Map.copyOf(addresses);
    }

    @Override
    public Collection<String> findMXRecords(String hostname) {
        return mx.getOrDefault(hostname, List.of());
    }

    @Override
    public Collection<String> findTXTRecords(String hostname) {
        return List.of();
    }

    @Override
    public Collection<InetAddress> getAllByName(String host) throws UnknownHostException {
        return List.of(getByName(host));
    }

    @Override
    public InetAddress getByName(String host) throws UnknownHostException {
        String address = addresses.get(host.endsWith(".") ? host.substring(0, host.length() - 1) : host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress());
    }

    @Override
    public InetAddress getLocalHost() throws UnknownHostException {
        return InetAddress.getByName("127.0.0.1");
    }

    @Override
    public String getHostName(InetAddress address) {
        return address.getHostAddress();
    }
}
