package io.github.jamesmtasts.mtasts.james;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;

import org.apache.james.transport.mailets.remote.delivery.ExecutionResult;
import org.apache.james.transport.mailets.remote.delivery.MailDelivrerToHost;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.HostAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.deliver.HostPlan;
import io.github.jamesmtasts.mtasts.deliver.HostVerdict;
import io.github.jamesmtasts.mtasts.deliver.MailDecisions;
import io.github.jamesmtasts.mtasts.deliver.SessionEnd;
import io.github.jamesmtasts.mtasts.deliver.SessionProbe;
import io.github.jamesmtasts.mtasts.deliver.SessionResults;
import io.github.jamesmtasts.mtasts.deliver.SmtpConnector;
import io.github.jamesmtasts.mtasts.deliver.SmtpSession;
import io.github.jamesmtasts.mtasts.deliver.TlsPlan;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.NetworkText;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;

/**
 * James's per-host seam ({@code MailDelivrer} calls it for each MX host in preference order). It only connects and
 * transfers: the host's verdict comes from the {@link MailDecisions} the {@link DeliveryLoop} made once for this
 * delivery attempt ({@link AttemptDecisions}), and what the session records from {@link SessionResults#of}. A refused
 * host fails with a {@code MessagingException} whose next exception is an {@code IOException}, so {@code MailDelivrer}
 * tries the next MX host and the failure stays temporary (RFC 8461 5, 8.4).
 */
public class MtaStsMailDelivrerToHost extends MailDelivrerToHost {

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsMailDelivrerToHost.class);
    private static final int SMTP_PORT = 25;
    private static final int SMTPS_PORT = 465;
    /** javax.mail's messages quote the MX's replies: cleaned and cut before logging (H4). */
    private static final int MAX_LOGGED_ERROR = 300;
    /** James hands over the MX's address as an IP literal; compiled once, not per MX attempt. */
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

    private final RemoteDeliveryConfiguration configuration;
    private final AttemptDecisions attempts;
    private final TlsRptRecorder recorder;
    private final SmtpConnector connector;
    private final DeliveryMetrics metrics;
    private final MessageTransfer transfer;
    private final boolean viaGateway;
    private final boolean opportunisticTls;
    private final MxRefusalTally refusals;

    /**
     * @param opportunisticTls {@link MtaStsDeliverySettings#opportunisticTls()}
     * @param refusals where refusals under a policy are tallied for stale-policy healing
     */
    MtaStsMailDelivrerToHost(RemoteDeliveryConfiguration configuration, MailetContext mailetContext,
                             AttemptDecisions attempts, TlsRptRecorder recorder, SmtpConnector connector,
                             DeliveryMetrics metrics, boolean opportunisticTls, MxRefusalTally refusals) {
        super(configuration, mailetContext);
        this.configuration = configuration;
        this.attempts = attempts;
        this.recorder = recorder;
        this.connector = connector;
        this.metrics = metrics;
        this.transfer = new MessageTransfer(mailetContext);
        this.viaGateway = !configuration.getGatewayServer().isEmpty();
        this.opportunisticTls = opportunisticTls;
        this.refusals = refusals;
    }

    @Override
    public ExecutionResult tryDeliveryToHost(Mail mail, Collection<InternetAddress> addresses, HostAddress host)
        throws MessagingException {
        refusals.tried(mail);
        Optional<MailDecisions> decisions = attempts.of(mail);
        if (decisions.isEmpty()) {
            // Never fail open: called outside a delivery attempt of our loop, there is no decision to apply.
            LOGGER.error("No MTA-STS decisions for mail {} at MX {}; treating the host as unreachable", mail.getName(),
                host.getHostName());
            metrics.refused(Optional.empty());
            throw new MessagingException("MTA-STS: no decisions for " + mail.getName(),
                new IOException("no MTA-STS decisions for " + mail.getName()));
        }
        // Each MX attempt's plan is logged once, in the line that tells how the attempt ended (docs/mta-sts.md).
        HostPlan plan;
        try {
            plan = decisions.get().plan(PolicyDomains.forHost(mail, host, viaGateway), host.getHostName());
        } catch (RuntimeException e) {
            // Never fail open, and never a bounce (James reads a RuntimeException as permanent): retried later.
            LOGGER.error("MTA-STS check of {} for mail {} failed; treating the host as unreachable", host.getHostName(),
                mail.getName(), e);
            metrics.refused(Optional.empty());
            throw new MessagingException("MTA-STS: cannot check " + host.getHostName() + ": " + e, new IOException(e));
        }
        if (plan.verdict().kind() == HostVerdict.Kind.REFUSE) {
            return refuse(mail, host, plan);
        }
        return deliver(mail, addresses, host, plan);
    }

    private ExecutionResult refuse(Mail mail, HostAddress host, HostPlan plan) throws MessagingException {
        HostVerdict verdict = plan.verdict();
        if (plan.byDane()) {
            // Not tallied for stale-policy healing: DANE, not the MTA-STS policy, refused the host.
            metrics.daneRefused(verdict.failure().map(Classification::resultType));
        } else {
            metrics.refused(verdict.failure().map(Classification::resultType));
        }
        plan.decision().ifPresent(decision -> verdict.failure().ifPresent(failure ->
            refusals.refused(mail, decision, failure)));
        SessionResults.of(plan, address(host), new SessionProbe(), SessionEnd.refused()).ifPresent(this::record);
        String by = plan.byDane() ? "DANE" : "MTA-STS";
        LOGGER.warn("{} refused MX {} for mail {}: {}", by, host.getHostName(), mail.getName(), plan);
        throw new MessagingException(by + ": " + verdict.reason(), new IOException(verdict.reason()));
    }

    private ExecutionResult deliver(Mail mail, Collection<InternetAddress> addresses, HostAddress host, HostPlan plan)
        throws MessagingException {
        HostVerdict verdict = plan.verdict();
        boolean implicitTls = "smtps".equalsIgnoreCase(host.getProtocol());
        if (verdict.kind() == HostVerdict.Kind.STOCK
            && (implicitTls || plan.decision().isEmpty() || !configuration.isStartTLS())) {
            // Exactly the stock behaviour, and no TLS session to record.
            if (plan.decision().isPresent()) {
                LOGGER.info("MTA-STS {}: delivering {} as stock RemoteDelivery would", plan, mail.getName());
            }
            return super.tryDeliveryToHost(mail, addresses, host);
        }
        InetAddress ip = address(host).orElseThrow(() -> new MessagingException(
            "MTA-STS: " + host.getHost() + " is not an IP address", new IOException("no IP address for " + host)));
        int port = host.getPort() > 0 ? host.getPort() : (implicitTls ? SMTPS_PORT : SMTP_PORT);
        Properties properties = implicitTls ? configuration.createFinalJavaxPropertiesWithSSL()
            : configuration.createFinalJavaxProperties();
        properties.put("mail.smtp.from", mail.getMaybeSender().asString());
        if (verdict.kind() == HostVerdict.Kind.DANE_ENCRYPT_ONLY && credentials().isPresent()) {
            // Defence in depth: James reads gateway credentials only with a gateway, where DANE is not applied; they
            // never go to a peer whose certificate nobody checked.
            String why = "DANE: " + host.getHostName() + " has no usable TLSA record to authenticate it, and this "
                + "session would send gateway credentials";
            LOGGER.error("Refused MX {} for mail {}: {}", host.getHostName(), mail.getName(), why);
            throw new MessagingException(why, new IOException(why));
        }
        TlsPlan tls = TlsPlan.forHost(verdict.kind(), opportunisticTls, configuration.isStartTLS(), implicitTls,
            credentials().isPresent());
        SessionProbe probe = new SessionProbe();
        SmtpSession session;
        boolean plaintextRetry = false;
        try {
            session = connector.open(properties, tls.connectAs(), host.getHostName(), ip, port, implicitTls,
                credentials(), probe, plan.dane());
        } catch (MessagingException e) {
            if (probe.tlsStarted() || probe.connected()) {
                Optional<SessionResult> result = SessionResults.of(plan, Optional.of(ip), probe, SessionEnd.failed(e));
                result.ifPresent(this::record);
                Optional<ResultType> type = result.flatMap(SessionResult::failure).map(FailureDetails::resultType);
                if (plan.byDane()) {
                    // Not tallied for stale-policy healing: the MTA-STS policy did not refuse this host.
                    metrics.daneRefused(type);
                } else if (verdict.kind() == HostVerdict.Kind.REQUIRE_TLS) {
                    metrics.refused(type);
                    plan.decision().ifPresent(decision -> result.flatMap(SessionResult::failure).ifPresent(f ->
                        refusals.refused(mail, decision, classificationOf(f))));
                }
                LOGGER.warn("{} session failed: {} ip={} result={} ({})", plan.byDane() ? "DANE" : "MTA-STS", plan, ip.getHostAddress(),
                    result.flatMap(SessionResult::failure).map(f -> f.resultType().token()
                        + f.failureReasonCode().map(code -> " (" + code + ")").orElse("")).orElse("-"),
                    NetworkText.clean(e.getMessage(), MAX_LOGGED_ERROR));
            }
            if (!tls.retriesInPlaintextAfter(probe)) {
                throw e;
            }
            session = retryInPlaintext(mail, host, ip, port, properties, e);
            plaintextRetry = true;
        }
        try {
            // A plaintext retry is no TLS session of its own: its failed handshake is recorded above.
            if (!plaintextRetry) {
                SessionResults.of(plan, Optional.of(ip), probe, SessionEnd.established(session.isEncrypted(),
                    startTlsExpected(verdict), tls.certificateProblemIsFailure())).ifPresent(this::record);
            }
            if (plan.byDane()) {
                metrics.daneSession(verdict.kind() == HostVerdict.Kind.DANE_AUTHENTICATE);
            }
            // Logged before the transfer, so the line precedes the mail's arrival at the MX.
            LOGGER.info("Mail {} goes to [{}] over {}: {} {}", mail.getName(), ip.getHostAddress(),
                session.isEncrypted() ? "TLS" : "plaintext", plan.byDane() ? "DANE" : "MTA-STS", plan);
            transfer.send(mail, addresses, session.transport());
            return ExecutionResult.success();
        } finally {
            closeQuietly(mail, session);
        }
    }

    /** RFC 7435: where nothing asks for TLS, a handshake that cannot complete must not hold the mail. */
    private SmtpSession retryInPlaintext(Mail mail, HostAddress host, InetAddress ip, int port, Properties properties,
                                         MessagingException handshakeFailure) throws MessagingException {
        LOGGER.warn("TLS handshake with {} [{}] failed for mail {} ({}); retrying once on the same MX in plaintext "
            + "({}=true)", host.getHostName(), ip.getHostAddress(), mail.getName(),
            NetworkText.clean(handshakeFailure.getMessage(), MAX_LOGGED_ERROR), MtaStsDeliverySettings.OPPORTUNISTIC_TLS);
        metrics.plaintextRetry();
        return connector.open(TlsPlan.withoutStartTls(properties), HostVerdict.Kind.STOCK, host.getHostName(), ip, port,
            false, credentials(), new SessionProbe());
    }

    private static Classification classificationOf(FailureDetails failure) {
        return failure.failureReasonCode().map(code -> Classification.of(failure.resultType(), code))
            .orElseGet(() -> Classification.of(failure.resultType()));
    }

    private boolean startTlsExpected(HostVerdict verdict) {
        return verdict.kind() != HostVerdict.Kind.STOCK || configuration.isStartTLS();
    }

    private void record(SessionResult result) {
        metrics.session(result.failure().map(f -> f.resultType()));
        try {
            // Issue 10 item 5: committed (group commit, bounded wait) before this session's mail goes on - transfer,
            // next MX, retry, bounce or dequeue - so that a crash cannot lose a session that happened.
            if (!recorder.recordDurably(result)) {
                metrics.sessionNotCommitted();
            }
        } catch (RuntimeException e) {
            // Recording must never stop a delivery.
            LOGGER.error("Could not record TLS-RPT session result {}", result, e);
        }
    }

    private Optional<SmtpConnector.Credentials> credentials() {
        return Optional.ofNullable(configuration.getAuthUser())
            .map(user -> SmtpConnector.Credentials.of(user, configuration.getAuthPass()));
    }

    private static Optional<InetAddress> address(HostAddress host) {
        try {
            String literal = host.getHost();
            if (literal == null || !(IPV4_LITERAL.matcher(literal).matches() || literal.contains(":"))) {
                return Optional.empty();
            }
            // An IP literal: no lookup happens here.
            return Optional.of(InetAddress.getByName(literal));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void closeQuietly(Mail mail, SmtpSession session) {
        try {
            session.close();
        } catch (MessagingException e) {
            LOGGER.warn("Could not close the SMTP session after sending {}; the mail counts as delivered: {}",
                mail.getName(), e.getMessage());
        }
    }
}
