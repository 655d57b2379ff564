package io.github.jamesmtasts.mtasts.deliver;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.net.DnsIdTrustManager;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;

/**
 * The {@code SSLContext}s of {@code enforce} sessions, one per MX host name, kept so that JSSE can resume a TLS
 * session with that host (RFC 8446 2.2, RFC 5077) instead of a full handshake per mail. Without it every session had
 * a context of its own and paid the full handshake, with the MX's signature check, which stock RemoteDelivery (one
 * JVM-wide context) often skips: the bulk of the CPU per mail we spent above stock (docs/benchmarks.md).
 *
 * <p>Why resumption keeps RFC 8461 4.2: a session enters a context's cache only after a full handshake whose
 * certificate that context's trust manager accepted (PKIX, DNS-ID) for the one MX name the context is bound to, and
 * JSSE looks sessions up by that peer name and port. Only {@link TlsCheckMode#REQUIRE} sessions use these contexts:
 * a {@code testing} session that tolerated a bad certificate can never be resumed by an {@code enforce} one. A
 * resumed session is never older than {@link #SESSION_LIFETIME}, so a certificate that expires or a trust store that
 * changes (a new connector) takes effect within that time.
 *
 * <p>Thread-safe. At most {@link #MAX_HOSTS} contexts; the least recently used one is dropped (its host then pays a
 * full handshake again).
 */
public final class EnforceTlsContexts {

    /** Most MX host names with a kept context (each holds its own small session cache). */
    public static final int MAX_HOSTS = 1_000;
    /** Longest a TLS session may be resumed after its full handshake. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(1);
    /** Sessions kept per context: one per port of the one host, a few for MX hosts reached on several ports. */
    static final int SESSIONS_PER_HOST = 16;

    private final TrustAnchors trust;
    private final Map<String, SSLContext> byHost = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SSLContext> eldest) {
            return size() > MAX_HOSTS;
        }
    };

    public EnforceTlsContexts(TrustAnchors trust) {
        this.trust = Objects.requireNonNull(trust);
    }

    /**
     * A socket factory for an enforce session with {@code mx}, sharing TLS sessions with earlier ones (an enforce
     * session's MX matched a policy pattern, so it is a domain name; one context per name whatever its input form).
     */
    public StrictTlsSocketFactory factoryFor(DomainName mx) {
        return new StrictTlsSocketFactory(contextFor(mx.asString()), mx.asString());
    }

    private SSLContext contextFor(String mx) {
        synchronized (byHost) {
            SSLContext context = byHost.get(mx);
            if (context == null) {
                context = DnsIdTrustManager.clientContext(trust, Optional.empty());
                SSLSessionContext sessions = context.getClientSessionContext();
                sessions.setSessionTimeout((int) SESSION_LIFETIME.toSeconds());
                sessions.setSessionCacheSize(SESSIONS_PER_HOST);
                byHost.put(mx, context);
            }
            return context;
        }
    }

    /** How many hosts have a kept context. */
    int size() {
        synchronized (byHost) {
            return byHost.size();
        }
    }
}
