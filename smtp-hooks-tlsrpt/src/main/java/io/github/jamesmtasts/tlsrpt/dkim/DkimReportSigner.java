package io.github.jamesmtasts.tlsrpt.dkim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.exceptions.FailException;

/**
 * Signs report mails with DKIM (RFC 8460 3: receivers ignore mailed reports without a valid signature of the reporting
 * domain) through Apache jDKIM, the library of James's own {@code DKIMSign} mailet: rsa-sha256, relaxed/relaxed,
 * {@code d=} the submitter domain. Thread-safe.
 */
public final class DkimReportSigner {

    /** The headers a report receiver relies on (RFC 8460 5.3), From first (RFC 6376 5.4 requires it). */
    public static final List<String> SIGNED_HEADERS = List.of("From", "To", "Subject", "Date", "Message-ID",
        "TLS-Report-Domain", "TLS-Report-Submitter");
    public static final String DEFAULT_SELECTOR = "tlsrpt";

    private final String domain;
    private final String selector;
    private final RSAPrivateCrtKey key;
    private final Session session = Session.getInstance(new Properties());

    private DkimReportSigner(String domain, String selector, RSAPrivateCrtKey key) {
        this.domain = Objects.requireNonNull(domain);
        this.selector = Objects.requireNonNull(selector);
        this.key = Objects.requireNonNull(key);
        if (!DkimKeyRecord.isSelector(selector)) {
            throw new IllegalArgumentException("DKIM selector '" + selector + "' is not a DNS label, e.g. "
                + DEFAULT_SELECTOR);
        }
    }

    /** @param domain the signing domain {@code d=}, in A-labels */
    public static DkimReportSigner of(String domain, String selector, RSAPrivateCrtKey key) {
        return new DkimReportSigner(domain, selector, key);
    }

    public String domain() {
        return domain;
    }

    public String selector() {
        return selector;
    }

    /**
     * @return a copy of {@code message} with a {@code DKIM-Signature} header on top; the copy refuses later changes
     *     ({@code saveChanges} keeps the signed bytes), since any change would break the signature
     * @throws MessagingException when jDKIM cannot sign it (the caller treats the send as failed: never unsigned)
     */
    public MimeMessage sign(MimeMessage message) throws MessagingException {
        byte[] original = bytes(message);
        String signature;
        try {
            signature = new DKIMSigner(template(), key).sign(new ByteArrayInputStream(original));
        } catch (IOException | FailException | RuntimeException e) {
            throw new MessagingException("DKIM signing (d=" + domain + ", s=" + selector + ") failed: " + e.getMessage(), e);
        }
        ByteArrayOutputStream signed = new ByteArrayOutputStream(original.length + signature.length() + 2);
        signed.writeBytes((signature + "\r\n").getBytes(StandardCharsets.US_ASCII));
        signed.writeBytes(original);
        return new SignedMessage(session, signed.toByteArray());
    }

    private String template() {
        // The DKIMSign mailet's template syntax; jDKIM fills bh= and b=.
        return "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector + "; h="
            + String.join(":", SIGNED_HEADERS) + "; bh=; b=;";
    }

    private static byte[] bytes(MimeMessage message) throws MessagingException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new MessagingException("cannot serialise the report mail for DKIM signing", e);
        }
    }

    /** The signed bytes, written back exactly as signed. */
    private static final class SignedMessage extends MimeMessage {
        SignedMessage(Session session, byte[] bytes) throws MessagingException {
            super(session, new ByteArrayInputStream(bytes));
        }

        @Override
        public void saveChanges() {
            // Already saved: regenerating headers (a new Message-ID, refolded parts) would invalidate the signature.
        }
    }
}
