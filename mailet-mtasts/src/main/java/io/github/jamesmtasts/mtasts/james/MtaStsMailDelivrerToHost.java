package io.github.jamesmtasts.mtasts.james;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Optional;
import java.util.Properties;

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

import io.github.jamesmtasts.mtasts.deliver.DomainOverride;
import io.github.jamesmtasts.mtasts.deliver.HostVerdict;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.MxCheck;
import io.github.jamesmtasts.mtasts.deliver.SessionProbe;
import io.github.jamesmtasts.mtasts.deliver.SessionResults;
import io.github.jamesmtasts.mtasts.deliver.SmtpConnector;
import io.github.jamesmtasts.mtasts.deliver.SmtpSession;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.classify.TlsFailureClassifier;
import io.github.jamesmtasts.tlsrpt.model.NetworkText;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;

/**
 * James's per-host seam ({@code MailDelivrer} calls it for each MX host in preference order): checks the host
 * against the recipient domain's MTA-STS policy, opens the SMTP session with the TLS rules of the applied mode,
 * records the session for TLS-RPT and sends. A refused host fails with a {@code MessagingException} whose next
 * exception is an {@code IOException}, so {@code MailDelivrer} tries the next MX host and the failure stays
 * temporary (RFC 8461 5, 8.4).
 */
public class MtaStsMailDelivrerToHost extends MailDelivrerToHost {

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsMailDelivrerToHost.class);
    private static final int SMTP_PORT = 25;
    private static final int SMTPS_PORT = 465;
    /** javax.mail's messages quote the MX's replies: cleaned and cut before logging (H4). */
    private static final int MAX_LOGGED_ERROR = 300;

    private final RemoteDeliveryConfiguration configuration;
    private final PolicyResolver resolver;
    private final TlsRptRecorder recorder;
    private final MtaStsDeliverySettings settings;
    private final SmtpConnector connector;
    private final DeliveryMetrics metrics;
    private final MessageTransfer transfer;
    private final TlsFailureClassifier classifier = new TlsFailureClassifier();

    public MtaStsMailDelivrerToHost(RemoteDeliveryConfiguration configuration, MailetContext mailetContext,
                                    PolicyResolver resolver, TlsRptRecorder recorder, MtaStsDeliverySettings settings,
                                    SmtpConnector connector, DeliveryMetrics metrics) {
        super(configuration, mailetContext);
        this.configuration = configuration;
        this.resolver = resolver;
        this.recorder = recorder;
        this.settings = settings;
        this.connector = connector;
        this.metrics = metrics;
        this.transfer = new MessageTransfer(mailetContext);
    }

    @Override
    public ExecutionResult tryDeliveryToHost(Mail mail, Collection<InternetAddress> addresses, HostAddress host)
        throws MessagingException {
        String mxHost = host.getHostName();
        boolean viaGateway = !configuration.getGatewayServer().isEmpty();
        Optional<String> policyDomain = PolicyDomains.forHost(mail, host, viaGateway);
        Optional<DomainOverride> override = policyDomain.flatMap(settings::overrideFor);
        if (!settings.enabled() || policyDomain.isEmpty() || override.equals(Optional.of(DomainOverride.DISABLE))) {
            return deliver(mail, addresses, host, HostVerdict.stock(), Optional.empty());
        }
        TlsOptOut optOut = TlsOptOut.of(mail, settings);
        if (optOut.skipsMtaSts()) {
            // RFC 8460 5.3 / RFC 8689: delivered despite TLS problems and not recorded (a report on a report loops).
            return deliver(mail, addresses, host, HostVerdict.observeTls(optOut == TlsOptOut.REPORT_MAIL
                ? "TLS-RPT report mail" : "TLS-Required: No"), Optional.empty());
        }
        if (optOut == TlsOptOut.HEADER_IGNORED) {
            LOGGER.info("Mail {} asks for {}: No, which {}={} does not honour for its origin (SMTP AUTH user: {}, "
                + "remote address: {}): MTA-STS applies", mail.getName(), settings.reportMailHeader(),
                MtaStsDeliverySettings.TLS_REQUIRED_HEADER, settings.tlsRequiredHeader().token(),
                mail.getAttribute(Mail.SMTP_AUTH_USER).isPresent() ? "yes" : "no", mail.getRemoteAddr());
        }
        PolicyDecision decision;
        HostVerdict verdict;
        try {
            decision = resolver.resolve(policyDomain.get());
            verdict = MxCheck.check(decision, override, mxHost);
        } catch (RuntimeException e) {
            // Never fail open: without a verdict the host cannot be used now; the mail is retried.
            LOGGER.error("MTA-STS check of {} for domain {} failed; treating the host as unreachable", mxHost,
                policyDomain.get(), e);
            metrics.refused(Optional.empty());
            throw new MessagingException("MTA-STS: cannot check " + mxHost + " for " + policyDomain.get() + ": " + e,
                new IOException(e));
        }
        LOGGER.info("MTA-STS domain={} policyId={} mode={} mx={} verdict={}", decision.domain(),
            decision.policyId().orElse("-"), MxCheck.appliedMode(decision, override).token(), mxHost, verdict);
        if (verdict.kind() == HostVerdict.Kind.REFUSE) {
            return refuse(mail, host, decision, verdict);
        }
        return deliver(mail, addresses, host, verdict, Optional.of(decision));
    }

    private ExecutionResult refuse(Mail mail, HostAddress host, PolicyDecision decision, HostVerdict verdict)
        throws MessagingException {
        metrics.refused(verdict.failure().map(Classification::resultType));
        verdict.failure().ifPresent(failure -> address(host).ifPresent(ip -> record(SessionResults.failure(
            decision.reportPolicy(), failure, host.getHostName(), ip, new SessionProbe()))));
        LOGGER.warn("MTA-STS refused MX {} for mail {} (domain {}): {}", host.getHostName(), mail.getName(),
            decision.domain(), verdict.reason());
        throw new MessagingException("MTA-STS: " + verdict.reason(), new IOException(verdict.reason()));
    }

    /**
     * @param decision empty when nothing is to be recorded (MTA-STS disabled for the domain, report mails)
     */
    private ExecutionResult deliver(Mail mail, Collection<InternetAddress> addresses, HostAddress host,
                                    HostVerdict verdict, Optional<PolicyDecision> decision) throws MessagingException {
        boolean implicitTls = "smtps".equalsIgnoreCase(host.getProtocol());
        if (verdict.kind() == HostVerdict.Kind.STOCK
            && (implicitTls || decision.isEmpty() || !configuration.isStartTLS())) {
            // Exactly the stock behaviour, and no TLS session to record.
            return super.tryDeliveryToHost(mail, addresses, host);
        }
        InetAddress ip = address(host).orElseThrow(() -> new MessagingException(
            "MTA-STS: " + host.getHost() + " is not an IP address", new IOException("no IP address for " + host)));
        int port = host.getPort() > 0 ? host.getPort() : (implicitTls ? SMTPS_PORT : SMTP_PORT);
        Properties properties = implicitTls ? configuration.createFinalJavaxPropertiesWithSSL()
            : configuration.createFinalJavaxProperties();
        properties.put("mail.smtp.from", mail.getMaybeSender().asString());
        SessionProbe probe = new SessionProbe();
        SmtpSession session;
        try {
            session = connector.open(properties, verdict.kind(), host.getHostName(), ip, port, implicitTls,
                credentials(), probe);
        } catch (MessagingException e) {
            // H3: a session that ended before TLS (refused greeting, EHLO or STARTTLS, dropped connection, no
            // STARTTLS under enforce) is recorded as starttls-not-supported; a TCP connect failure is no session.
            if (probe.tlsStarted() || probe.connected()) {
                Classification failure = verdict.failure().orElseGet(() -> classifier.classify(e));
                decision.ifPresent(d -> record(SessionResults.failure(d.reportPolicy(), failure, host.getHostName(),
                    ip, probe)));
                if (verdict.kind() == HostVerdict.Kind.REQUIRE_TLS) {
                    metrics.refused(Optional.of(failure.resultType()));
                }
                LOGGER.warn("MTA-STS session failed: domain={} policyId={} verdict={} mx={} ip={} result={} ({})",
                    decision.map(PolicyDecision::domain).orElse("-"),
                    decision.flatMap(PolicyDecision::policyId).orElse("-"), verdict.kind(), host.getHostName(),
                    ip.getHostAddress(), failure, NetworkText.clean(e.getMessage(), MAX_LOGGED_ERROR));
            }
            throw e;
        }
        try {
            decision.ifPresent(d -> recordEstablished(d, verdict, host, ip, session, probe));
            transfer.send(mail, addresses, session.transport());
            LOGGER.info("Mail {} sent to {} [{}] over {}", mail.getName(), host.getHostName(), ip.getHostAddress(),
                session.isEncrypted() ? "TLS" : "plaintext");
            return ExecutionResult.success();
        } finally {
            closeQuietly(mail, session);
        }
    }

    private void recordEstablished(PolicyDecision decision, HostVerdict verdict, HostAddress host, InetAddress ip,
                                   SmtpSession session, SessionProbe probe) {
        Optional<Classification> failure = verdict.failure()
            .or(() -> probe.observedCertificateProblem().map(classifier::classify))
            .or(() -> !session.isEncrypted() && startTlsExpected(verdict)
                ? Optional.of(Classification.of(ResultType.STARTTLS_NOT_SUPPORTED)) : Optional.empty());
        record(failure.map(f -> SessionResults.failure(decision.reportPolicy(), f, host.getHostName(), ip,
                probe))
            .orElseGet(() -> SessionResults.success(decision.reportPolicy())));
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
            if (literal == null || !(literal.matches("[0-9.]+") || literal.contains(":"))) {
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
