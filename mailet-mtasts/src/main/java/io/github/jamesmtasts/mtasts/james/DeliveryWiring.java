package io.github.jamesmtasts.mtasts.james;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.james.transport.mailets.remote.delivery.MailDelivrer;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.MailetConfig;

import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.SmtpConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;

/**
 * The delivery objects of one {@link MtaStsRemoteDelivery}, built from its mailet configuration: James's own
 * {@link RemoteDeliveryConfiguration} (every stock parameter), our {@link MtaStsDeliverySettings}, the outgoing queue,
 * and the {@link DeliveryLoop} that walks MX hosts through {@link MtaStsMailDelivrerToHost}. Starting the loop's
 * threads is the mailet's business.
 */
final class DeliveryWiring {

    final RemoteDeliveryConfiguration configuration;
    final MtaStsDeliverySettings settings;
    final TrustAnchors trust;
    final MailQueue queue;
    final DeliveryLoop loop;

    private DeliveryWiring(RemoteDeliveryConfiguration configuration, MtaStsDeliverySettings settings, TrustAnchors trust,
                           MailQueue queue, DeliveryLoop loop) {
        this.configuration = configuration;
        this.settings = settings;
        this.trust = trust;
        this.queue = queue;
        this.loop = loop;
    }

    /** @throws MessagingException naming the parameter when a value is invalid */
    static DeliveryWiring of(MailetConfig config, DNSService dnsService, DomainList domainList,
                             MailQueueFactory<?> queueFactory, DeliveryMetrics metrics, PolicyResolver resolver,
                             TlsRptRecorder recorder, Clock clock) throws MessagingException {
        return of(config, dnsService, domainList, queueFactory, metrics, resolver, recorder, clock, DaneLookups.none());
    }

    /**
     * @param dane asked for the DNSSEC-validating lookup only when the mailet enables DANE; a mailet that enables it
     *             without one fails to start, naming the parameters (never DANE silently off)
     */
    static DeliveryWiring of(MailetConfig config, DNSService dnsService, DomainList domainList,
                             MailQueueFactory<?> queueFactory, DeliveryMetrics metrics, PolicyResolver resolver,
                             TlsRptRecorder recorder, Clock clock, DaneLookups dane) throws MessagingException {
        MtaStsDeliverySettings settings;
        TrustAnchors trust;
        try {
            settings = MtaStsDeliverySettings.parse(name -> Optional.ofNullable(config.getInitParameter(name)));
            trust = settings.trust();
        } catch (IllegalArgumentException e) {
            throw new MessagingException("Invalid MtaStsRemoteDelivery configuration: " + e.getMessage(), e);
        }
        Optional<DaneLookup> daneLookup = Optional.empty();
        if (settings.daneUsed()) {
            daneLookup = dane.get();
            if (daneLookup.isEmpty()) {
                throw new MessagingException("Invalid MtaStsRemoteDelivery configuration: "
                    + MtaStsDeliverySettings.DANE + " / " + MtaStsDeliverySettings.DANE_OVERRIDES + " enable DANE, but no "
                    + "DNSSEC-validating lookup is available (conf/mta-sts.properties dane.*, docs/dane.md); set "
                    + MtaStsDeliverySettings.DANE + "=false and remove the on/required entries of "
                    + MtaStsDeliverySettings.DANE_OVERRIDES);
            }
        }
        RemoteDeliveryConfiguration configuration = new RemoteDeliveryConfiguration(config, domainList);
        MailQueue queue = queueFactory.createQueue(configuration.getOutGoingQueueName());
        SmtpConnector connector = new SmtpConnector(trust, Duration.ofMillis(configuration.getConnectionTimeout()),
            Duration.ofMillis(configuration.getSmtpTimeout()), bindAddress(configuration));
        MxRefusalTally refusals = new MxRefusalTally();
        AttemptDecisions attempts = new AttemptDecisions();
        MtaStsMailDelivrerToHost toHost = new MtaStsMailDelivrerToHost(configuration, config.getMailetContext(),
            attempts, recorder, connector, metrics, settings.opportunisticTls(), refusals);
        Bouncer bouncer = new Bouncer(configuration, config.getMailetContext());
        MailDelivrer delivrer = new MailDelivrer(configuration, toHost, dnsService, bouncer, config.getMailetContext());
        PolicyGate gate = new PolicyGate(resolver, settings, configuration.getGatewayServer(), metrics, refusals,
            daneLookup);
        DeliveryLoop loop = new DeliveryLoop(queue, configuration, delivrer, bouncer, config.getMailetContext(), gate,
            attempts, metrics, clock);
        return new DeliveryWiring(configuration, settings, trust, queue, loop);
    }

    private static Optional<InetAddress> bindAddress(RemoteDeliveryConfiguration configuration)
        throws MessagingException {
        if (!configuration.isBindUsed()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(configuration.getBindAddress()));
        } catch (UnknownHostException e) {
            throw new MessagingException("Invalid MtaStsRemoteDelivery configuration: "
                + RemoteDeliveryConfiguration.BIND + " '" + configuration.getBindAddress()
                + "' is not a local address", e);
        }
    }
}
