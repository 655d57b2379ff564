package io.github.jamesmtasts.mtasts.james;

import java.io.IOException;
import java.time.Clock;
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
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;

/**
 * Drop-in replacement of James's {@code RemoteDelivery} that applies MTA-STS (RFC 8461) and records every
 * outbound session for TLS-RPT (RFC 8460). Every stock RemoteDelivery parameter keeps its meaning (they are read
 * by James's own {@code RemoteDeliveryConfiguration}); the MTA-STS ones are described in
 * {@code MtaStsDeliverySettings}. {@link DeliveryWiring} builds the delivery objects; this mailet queues mails and
 * runs the delivery threads.
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
    private final DaneLookups dane;

    private DeliveryWiring wiring;

    /** Without a DNSSEC-validating lookup: DANE cannot be enabled. */
    public MtaStsRemoteDelivery(DNSService dnsService, DomainList domainList, MailQueueFactory<?> queueFactory,
                                MetricFactory metricFactory, PolicyResolver resolver, TlsRptRecorder recorder,
                                Clock clock) {
        this(dnsService, domainList, queueFactory, metricFactory, resolver, recorder, clock, DaneLookups.none());
    }

    @Inject
    public MtaStsRemoteDelivery(DNSService dnsService, DomainList domainList, MailQueueFactory<?> queueFactory,
                                MetricFactory metricFactory, PolicyResolver resolver, TlsRptRecorder recorder,
                                Clock clock, DaneLookups dane) {
        this.dane = dane;
        this.dnsService = dnsService;
        this.domainList = domainList;
        this.queueFactory = queueFactory;
        this.metrics = new DeliveryMetrics(metricFactory);
        this.resolver = resolver;
        this.recorder = recorder;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        wiring = DeliveryWiring.of(getMailetConfig(), dnsService, domainList, queueFactory, metrics, resolver,
            recorder, clock, dane);
        LOGGER.info("MtaStsRemoteDelivery started: {}, trust: {}, queue: {}", wiring.settings, wiring.trust,
            wiring.configuration.getOutGoingQueueName().asString());
        wiring.loop.start(wiring.settings.deliveryThreads());
    }

    /** Like the stock mailet: one queue entry per recipient domain (or one per mail with a gateway). */
    @Override
    public void service(Mail mail) throws MessagingException {
        if (wiring.configuration.isUsePriority()) {
            mail.setAttribute(MailPrioritySupport.HIGH_PRIORITY_ATTRIBUTE);
        }
        if (mail.getRecipients().isEmpty()) {
            LOGGER.debug("Mail {} has no recipients; nothing to deliver", mail.getName());
        } else if (!wiring.configuration.getGatewayServer().isEmpty()) {
            wiring.queue.enQueue(mail);
        } else {
            String name = mail.getName();
            for (Map.Entry<String, List<MailAddress>> group : byDomain(mail.getRecipients()).entrySet()) {
                mail.setRecipients(group.getValue());
                mail.setName(name + NAME_JUNCTION + group.getKey());
                wiring.queue.enQueue(mail);
            }
        }
        mail.setState(Mail.GHOST);
    }

    private static Map<String, List<MailAddress>> byDomain(Collection<MailAddress> recipients) {
        return recipients.stream().collect(Collectors.groupingBy(r -> r.getDomain().asString(), LinkedHashMap::new,
            Collectors.toList()));
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return Stream.of(wiring.configuration.getBounceProcessor(), wiring.configuration.getOnSuccess())
            .flatMap(Optional::stream)
            .collect(Collectors.toList());
    }

    @Override
    public String getMailetInfo() {
        return "MTA-STS RemoteDelivery";
    }

    @Override
    public void destroy() {
        if (wiring == null) {
            return;
        }
        wiring.loop.close();
        try {
            wiring.queue.close();
        } catch (IOException e) {
            LOGGER.debug("Could not close the outgoing queue", e);
        }
    }
}
