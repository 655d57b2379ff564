package io.github.jamesmtasts.mtasts.james;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.Converter7Bit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.mail.smtp.SMTPMessage;
import com.sun.mail.smtp.SMTPTransport;

/**
 * The SMTP transaction on an open session: 7-bit downgrade when the MX lacks 8BITMIME (RFC 6152) and the DSN
 * parameters the mail arrived with (RFC 3461: RET, ENVID, per-recipient NOTIFY).
 */
final class MessageTransfer {

    private static final Logger LOGGER = LoggerFactory.getLogger(MessageTransfer.class);

    private final Converter7Bit converter7Bit;

    MessageTransfer(MailetContext mailetContext) {
        this.converter7Bit = new Converter7Bit(mailetContext);
    }

    void send(Mail mail, Collection<InternetAddress> addresses, SMTPTransport transport) throws MessagingException {
        MimeMessage message = mail.getMessage();
        if (!transport.supportsExtension("8BITMIME")) {
            try {
                converter7Bit.convertTo7Bit(message);
            } catch (IOException e) {
                LOGGER.error("Could not convert mail {} to 7 bit; sending it as it is", mail.getName(), e);
            }
        }
        Optional<DsnParameters> dsn = mail.dsnParameters();
        if (dsn.isEmpty()) {
            transport.sendMessage(message, addresses.toArray(new InternetAddress[0]));
            return;
        }
        for (Map.Entry<Optional<Integer>, List<InternetAddress>> group : byNotify(dsn.get(), addresses).entrySet()) {
            SMTPMessage smtpMessage = new SMTPMessage(message);
            dsn.get().getRetParameter().ifPresent(ret ->
                smtpMessage.setReturnOption(ret == DsnParameters.Ret.FULL ? SMTPMessage.RETURN_FULL : SMTPMessage.RETURN_HDRS));
            if (transport.supportsExtension("DSN")) {
                dsn.get().getEnvIdParameter().ifPresent(envId -> smtpMessage.setMailExtension("ENVID=" + envId.asString()));
            }
            group.getKey().ifPresent(smtpMessage::setNotifyOptions);
            transport.sendMessage(smtpMessage, group.getValue().toArray(new InternetAddress[0]));
        }
    }

    private static Map<Optional<Integer>, List<InternetAddress>> byNotify(DsnParameters dsn,
                                                                        Collection<InternetAddress> addresses) {
        Map<Optional<Integer>, List<InternetAddress>> groups = new LinkedHashMap<>();
        for (InternetAddress address : addresses) {
            Optional<Integer> notify = recipient(dsn, address)
                .flatMap(DsnParameters.RecipientDsnParameters::getNotifyParameter)
                .map(MessageTransfer::notifyOptions);
            groups.computeIfAbsent(notify, any -> new ArrayList<>()).add(address);
        }
        return groups;
    }

    private static Optional<DsnParameters.RecipientDsnParameters> recipient(DsnParameters dsn, InternetAddress address) {
        try {
            return Optional.ofNullable(dsn.getRcptParameters().get(new MailAddress(address.getAddress())));
        } catch (javax.mail.internet.AddressException e) {
            return Optional.empty();
        }
    }

    private static int notifyOptions(EnumSet<DsnParameters.Notify> notify) {
        if (notify.contains(DsnParameters.Notify.NEVER)) {
            return SMTPMessage.NOTIFY_NEVER;
        }
        int options = 0;
        if (notify.contains(DsnParameters.Notify.SUCCESS)) {
            options |= SMTPMessage.NOTIFY_SUCCESS;
        }
        if (notify.contains(DsnParameters.Notify.FAILURE)) {
            options |= SMTPMessage.NOTIFY_FAILURE;
        }
        if (notify.contains(DsnParameters.Notify.DELAY)) {
            options |= SMTPMessage.NOTIFY_DELAY;
        }
        return options;
    }
}
