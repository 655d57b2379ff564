package io.github.jamesmtasts.mtasts.james;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.deliver.MailDecisions;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Issue 12: the recipient domain is parsed once, where it enters (PolicyDomains), and reaches the resolver as a
 * {@link DomainName} in canonical form, once per delivery attempt, or not at all (RFC 8461 3.4: address literals have
 * no policy).
 */
class PolicyGateDomainsTest {

    /** Records what it is asked; every domain has no policy. */
    private static final class AskedResolver implements PolicyResolver {
        final List<DomainName> asked = new ArrayList<>();

        @Override
        public synchronized PolicyDecision resolve(DomainName domain) {
            asked.add(domain);
            return PolicyDecision.noPolicy(domain);
        }

        @Override
        public synchronized PolicyDecision recheck(DomainName domain) {
            asked.add(domain);
            return PolicyDecision.noPolicy(domain);
        }
    }

    static Stream<Arguments> recipients() {
        return Stream.of(
            Arguments.of("upper case is folded", "rcpt@Example.TEST", List.of(name("example.test"))),
            Arguments.of("IPv4 address literal: never asked", "rcpt@[192.0.2.1]", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipients")
    void recipientDomainShouldReachTheResolverOnceInCanonicalFormOrNotAtAll(String name, String recipient,
                                                                         List<DomainName> expected) throws Exception {
        AskedResolver resolver = new AskedResolver();
        PolicyGate gate = new PolicyGate(resolver, MtaStsDeliverySettings.parse(p -> Optional.empty()), List.of(),
            new DeliveryMetrics(new RecordingMetricFactory()), new MxRefusalTally());
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setText("Hello\r\n");
        message.saveChanges();
        Mail mail = FakeMail.builder().name("mail1").sender("sender@sender.test").recipient(recipient)
            .mimeMessage(message).build();

        MailDecisions decisions = gate.decide(mail);

        assertThat(resolver.asked).containsExactlyElementsOf(expected);
        assertThat(decisions.decisions().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }
}
