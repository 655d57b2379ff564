package io.github.jamesmtasts.mtasts.james;

import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.HostAddress;
import org.apache.mailet.Mail;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * RFC 8461 3.4: the policy domain is the recipient domain, or the smart host's domain when a gateway is
 * configured; never a parent domain, and none for address literals.
 */
final class PolicyDomains {

    private PolicyDomains() {
    }

    /** The policy domain of a mail queued per recipient domain (no gateway); empty for address literals. */
    static Optional<DomainName> ofRecipients(Mail mail) {
        return mail.getRecipients().stream().findFirst()
            .map(MailAddress::getDomain)
            .map(domain -> domain.asString())
            .flatMap(PolicyDomains::ofName);
    }

    /** The policy domain for delivering to {@code host}. */
    static Optional<DomainName> forHost(Mail mail, HostAddress host, boolean viaGateway) {
        return viaGateway ? ofName(host.getHostName()) : ofRecipients(mail);
    }

    /**
     * The name's {@link DomainName}, parsed here once where it enters from the mail or configuration and passed on as
     * such; empty for address literals and anything else that is no domain name.
     */
    static Optional<DomainName> ofName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return DomainName.of(name.trim());
    }
}
