package io.github.jamesmtasts.mtasts.james;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.transport.mailets.remote.delivery.ExecutionResult;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.HostAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;

import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.deliver.MailDecisions;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.SmtpConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/**
 * The per-host adapter with the delivery loop's per-attempt decision step in front of it, wired as
 * {@link DeliveryWiring} wires them, for tests that drive one MX attempt at a time.
 */
final class HostAttempt {

    final MtaStsMailDelivrerToHost toHost;
    final PolicyGate gate;
    final AttemptDecisions attempts;

    private HostAttempt(MtaStsMailDelivrerToHost toHost, PolicyGate gate, AttemptDecisions attempts) {
        this.toHost = toHost;
        this.gate = gate;
        this.attempts = attempts;
    }

    /** @param parameters mailet parameters (stock and {@code mtasts.*}); MX certificates are trusted when issued by {@code ca} */
    static HostAttempt wire(PolicyDecision decision, Map<String, String> parameters, TestPki ca,
                            TlsRptRecorder recorder, MetricFactory metricFactory) {
        return wire(decision, parameters, ca, recorder, metricFactory, Optional.empty());
    }

    /** @param dane the DNSSEC-validating lookup the gate asks ({@code mtasts.dane} in {@code parameters}) */
    static HostAttempt wire(PolicyDecision decision, Map<String, String> parameters, TestPki ca,
                            TlsRptRecorder recorder, MetricFactory metricFactory, Optional<DaneLookup> dane) {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("mtasts")
            .setProperty("heloName", "sender.test");
        parameters.forEach(config::setProperty);
        RemoteDeliveryConfiguration configuration = new RemoteDeliveryConfiguration(config.build(), null);
        SmtpConnector connector = new SmtpConnector(TrustAnchors.of(ca.trustStore()), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Optional.empty());
        MtaStsDeliverySettings settings = MtaStsDeliverySettings.parse(name -> Optional.ofNullable(parameters.get(name)));
        DeliveryMetrics metrics = new DeliveryMetrics(metricFactory);
        AttemptDecisions attempts = new AttemptDecisions();
        MxRefusalTally refusals = new MxRefusalTally();
        PolicyGate gate = new PolicyGate(new FixedPolicyResolver().with(decision), settings, List.of(), metrics,
            refusals, dane);
        return new HostAttempt(new MtaStsMailDelivrerToHost(configuration, FakeMailContext.defaultContext(), attempts,
            recorder, connector, metrics, settings.opportunisticTls(), refusals), gate, attempts);
    }

    /** One MX attempt within a delivery attempt whose decisions the gate made. */
    ExecutionResult deliver(Mail mail, HostAddress host, String recipient) throws MessagingException {
        return deliver(gate.decide(mail), mail, host, recipient);
    }

    ExecutionResult deliver(MailDecisions decisions, Mail mail, HostAddress host, String recipient)
        throws MessagingException {
        InternetAddress address = new InternetAddress(recipient);
        try {
            return attempts.during(mail, decisions, () -> {
                try {
                    return toHost.tryDeliveryToHost(mail, List.of(address), host);
                } catch (MessagingException e) {
                    throw new WrappedMessagingException(e);
                }
            });
        } catch (WrappedMessagingException e) {
            throw e.wrapped;
        }
    }

    private static final class WrappedMessagingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient MessagingException wrapped;

        WrappedMessagingException(MessagingException wrapped) {
            super(wrapped);
            this.wrapped = wrapped;
        }
    }
}
