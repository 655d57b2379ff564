package io.github.jamesmtasts.mtasts.deliver;

import java.net.InetAddress;

import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.IpAddresses;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/** Builds the RFC 8460 4.4 session results of outbound delivery, with the failure details the RFC names. */
public final class SessionResults {

    private SessionResults() {
    }

    public static SessionResult success(ReportPolicy policy) {
        return SessionResult.success(policy);
    }

    /**
     * @param probe what the session revealed (our address, the MX's name); empty when no connection was made
     */
    public static SessionResult failure(ReportPolicy policy, Classification classification, String mxHost,
                                        InetAddress receivingIp, SessionProbe probe) {
        FailureDetails.Builder details = classification.toDetails()
            .receivingMxHostname(mxHost)
            .receivingIp(IpAddresses.format(receivingIp));
        probe.localAddress().ifPresent(ip -> details.sendingMtaIp(IpAddresses.format(ip)));
        probe.announcedName().ifPresent(details::receivingMxHelo);
        return SessionResult.failure(policy, details.build());
    }
}
