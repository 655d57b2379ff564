package io.github.jamesmtasts.tlsrpt.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;

import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyFile;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyRecord;
import io.github.jamesmtasts.tlsrpt.dns.TxtAnswer;
import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * DKIM for tests: one RSA 2048 key pair per test JVM (generating one takes a while), its key file and TXT record, and
 * an independent check of a received raw message with jDKIM's verifier, looking the public key up in the test DNS.
 *
 * <pre>
 * TestDkim.writeKey(dir.resolve("conf/tlsrpt-dkim.pem"));
 * dns.withRecords(DkimKeyRecord.name("tlsrpt", SENDER).asString(), TestDkim.txtRecord());
 * List&lt;SignatureRecord&gt; valid = TestDkim.verify(rawBytes, dns);   // throws when no signature verifies
 * </pre>
 */
public final class TestDkim {

    private static final KeyPair KEYS = DkimKeyFile.generate();

    private TestDkim() {
    }

    public static RSAPrivateCrtKey privateKey() {
        return (RSAPrivateCrtKey) KEYS.getPrivate();
    }

    public static RSAPublicKey publicKey() {
        return (RSAPublicKey) KEYS.getPublic();
    }

    /** {@code v=DKIM1; k=rsa; p=...} of the test key, joined as DNS hands it out. */
    public static String txtRecord() {
        return DkimKeyRecord.text(publicKey());
    }

    /** Writes the test private key as a PKCS#8 PEM file (folders created, an existing file replaced). */
    public static Path writeKey(Path file) throws IOException {
        DkimKeyFile.write(file, privateKey(), true);
        return file;
    }

    /**
     * Verifies every DKIM-Signature of {@code rawMessage} with jDKIM's verifier.
     *
     * @return the signatures that verified (at least one)
     * @throws FailException when no signature verifies (tampered body or signed header, wrong or missing key)
     */
    public static List<SignatureRecord> verify(byte[] rawMessage, TxtResolver dns) throws IOException, FailException {
        List<SignatureRecord> valid = new DKIMVerifier(retriever(dns)).verify(new ByteArrayInputStream(rawMessage));
        if (valid == null || valid.isEmpty()) {
            throw new PermFailException("the message has no DKIM-Signature");
        }
        return valid;
    }

    /** jDKIM's key lookup ({@code <selector>._domainkey.<d>} TXT) over a test {@link TxtResolver}. */
    public static PublicKeyRecordRetriever retriever(TxtResolver dns) {
        return (methodAndOptions, selector, token) -> {
            DomainName name = DkimKeyRecord.name(selector.toString(), DomainName.parseHostName(token.toString())
                .orElseThrow(PermFailException::new));
            TxtAnswer answer = dns.lookup(name);
            switch (answer.kind()) {
                case FOUND:
                    return answer.records();
                case TEMPORARY_FAILURE:
                    throw new TempFailException("DNS failure for " + name + ": " + answer.failureReason().orElse(""));
                default:
                    throw new PermFailException("no DKIM key record at " + name);
            }
        };
    }
}
