package io.github.jamesmtasts.mtasts.james;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailPrioritySupport;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.james.transport.mailets.remote.delivery.MailDelivrer;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.SmtpConnector;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;

/**
 * Drop-in replacement of James's {@code RemoteDelivery} that applies MTA-STS (RFC 8461) and records every
 * outbound session for TLS-RPT (RFC 8460). Every stock RemoteDelivery parameter keeps its meaning (they are read
 * by James's own {@link RemoteDeliveryConfiguration}); the MTA-STS ones are described in
 * {@link MtaStsDeliverySettings}.
 *
 * <pre>{@code
 * <mailet match="All" class="io.github.jamesmtasts.mtasts.james.MtaStsRemoteDelivery">
 *   <outgoing>outgoing</outgoing>
 *   <delayTime>5000, 100000, 500000</delayTime>
 *   <maxRetries>3</maxRetries>
 *   <bounceProcessor>bounces</bounceProcessor>
 *   <mtasts.domainOverrides>legacy.example:testing</mtasts.domainOverrides>
 * </mailet>
 * }</pre>
 */
public class MtaStsRemoteDelivery extends GenericMailet {

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsRemoteDelivery.class);
    private static final String NAME_JUNCTION = "-to-";

    private final DNSService dnsService;
    private final DomainList domainList;
    private final MailQueueFactory<?> queueFactory;
    private final DeliveryMetrics metrics;
    private final PolicyResolver resolver;
    private final TlsRptRecorder recorder;
    private final Clock clock;
    private final boolean startThreads;

    private RemoteDeliveryConfiguration configuration;
    private MailQueue queue;
    private DeliveryLoop loop;

    @Inject
    public MtaStsRemoteDelivery(DNSService dnsService, DomainList domainList, MailQueueFactory<?> queueFactory,
                                MetricFactory metricFactory, PolicyResolver resolver, TlsRptRecorder recorder,
                                Clock clock) {
        this(dnsService, domainList, queueFactory, metricFactory, resolver, recorder, clock, true);
    }

    /** @param startThreads false leaves the queue alone, for tests that drive {@link #attemptDelivery} */
    public MtaStsRemoteDelivery(DNSService dnsService, DomainList domainList, MailQueueFactory<?> queueFactory,
                                MetricFactory metricFactory, PolicyResolver resolver, TlsRptRecorder recorder,
                                Clock clock, boolean startThreads) {
        this.dnsService = dnsService;
        this.domainList = domainList;
        this.queueFactory = queueFactory;
        this.metrics = new DeliveryMetrics(metricFactory);
        this.resolver = resolver;
        this.recorder = recorder;
        this.clock = clock;
        this.startThreads = startThreads;
    }

    @Override
    public void init() throws MessagingException {
        MtaStsDeliverySettings settings;
        TrustAnchors trust;
        try {
            settings = MtaStsDeliverySettings.parse(name -> Optional.ofNullable(getInitParameter(name)));
            trust = settings.trust();
        } catch (IllegalArgumentException e) {
            throw new MessagingException("Invalid MtaStsRemoteDelivery configuration: " + e.getMessage(), e);
        }
        configuration = new RemoteDeliveryConfiguration(getMailetConfig(), domainList);
        queue = queueFactory.createQueue(configuration.getOutGoingQueueName());
        SmtpConnector connector = new SmtpConnector(trust, Duration.ofMillis(configuration.getConnectionTimeout()),
            Duration.ofMillis(configuration.getSmtpTimeout()), bindAddress());
        MtaStsMailDelivrerToHost toHost = new MtaStsMailDelivrerToHost(configuration, getMailetContext(), resolver,
            recorder, settings, connector, metrics);
        Bouncer bouncer = new Bouncer(configuration, getMailetContext());
        MailDelivrer delivrer = new MailDelivrer(configuration, toHost, dnsService, bouncer, getMailetContext());
        PolicyGate gate = new PolicyGate(resolver, settings, configuration.getGatewayServer(), metrics);
        loop = new DeliveryLoop(queue, configuration, delivrer, bouncer, getMailetContext(), gate, metrics, clock);
        LOGGER.info("MtaStsRemoteDelivery started: {}, trust: {}, queue: {}", settings, trust,
            configuration.getOutGoingQueueName().asString());
        if (startThreads) {
            loop.start(settings.deliveryThreads());
        }
    }

    private Optional<InetAddress> bindAddress() throws MessagingException {
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

    /** Like the stock mailet: one queue entry per recipient domain (or one per mail with a gateway). */
    @Override
    public void service(Mail mail) throws MessagingException {
        if (configuration.isUsePriority()) {
            mail.setAttribute(MailPrioritySupport.HIGH_PRIORITY_ATTRIBUTE);
        }
        if (mail.getRecipients().isEmpty()) {
            LOGGER.debug("Mail {} has no recipients; nothing to deliver", mail.getName());
        } else if (!configuration.getGatewayServer().isEmpty()) {
            queue.enQueue(mail);
        } else {
            String name = mail.getName();
            for (Map.Entry<String, List<MailAddress>> group : byDomain(mail.getRecipients()).entrySet()) {
                mail.setRecipients(group.getValue());
                mail.setName(name + NAME_JUNCTION + group.getKey());
                queue.enQueue(mail);
            }
        }
        mail.setState(Mail.GHOST);
    }

    private static Map<String, List<MailAddress>> byDomain(Collection<MailAddress> recipients) {
        return recipients.stream().collect(Collectors.groupingBy(r -> r.getDomain().asString(), LinkedHashMap::new,
            Collectors.toList()));
    }

    /** One delivery attempt of a mail as the loop would make it (for tests running without threads). */
    public void attemptDelivery(Mail mail) throws MessagingException {
        try {
            loop.attempt(mail);
        } catch (MailQueue.MailQueueException e) {
            throw new MessagingException("Could not re-queue " + mail.getName(), e);
        }
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return Stream.of(configuration.getBounceProcessor(), configuration.getOnSuccess())
            .flatMap(Optional::stream)
            .collect(Collectors.toList());
    }

    @Override
    public String getMailetInfo() {
        return "MTA-STS RemoteDelivery";
    }

    @Override
    public void destroy() {
        if (loop != null) {
            loop.close();
        }
        if (queue != null) {
            try {
                queue.close();
            } catch (IOException e) {
                LOGGER.debug("Could not close the outgoing queue", e);
            }
        }
    }
}
