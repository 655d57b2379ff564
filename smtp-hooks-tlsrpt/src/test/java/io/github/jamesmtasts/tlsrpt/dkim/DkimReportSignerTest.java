package io.github.jamesmtasts.tlsrpt.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.send.ReportMailComposer;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.TestDkim;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

class DkimReportSignerTest {

    private static final String SUBMITTER = ReportFixtures.IDENTITY.submitterDomain();

    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create()
        .withRecords(DkimKeyRecord.name("tlsrpt", DomainName.of(SUBMITTER).orElseThrow()).asString(),
            TestDkim.txtRecord());

    private static MimeMessage signedReportMail(DkimReportSigner signer) throws Exception {
        return new ReportMailComposer(new SettableClock(Instant.parse("2026-11-23T02:17:00Z")), Optional.of(signer))
            .compose(ReportFixtures.IDENTITY, ReportFixtures.DOMAIN, ReportFixtures.sampleReport(),
                new InternetAddress("tlsrpt-noreply@" + SUBMITTER), new InternetAddress("tlsrpt@reports.enforce.test"));
    }

    private static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return new String(out.toByteArray(), StandardCharsets.US_ASCII);
    }

    private static String signedRaw() throws Exception {
        return raw(signedReportMail(DkimReportSigner.of(SUBMITTER, "tlsrpt", TestDkim.privateKey())));
    }

    private List<SignatureRecord> verify(String raw) throws Exception {
        return TestDkim.verify(raw.getBytes(StandardCharsets.US_ASCII), dns);
    }

    @Test
    void reportMailShouldCarryASignatureThatJdkimVerifiesAgainstThePublishedKey() throws Exception {
        List<SignatureRecord> valid = verify(signedRaw());

        assertThat(valid).hasSize(1);
        SignatureRecord signature = valid.get(0);
        assertThat(signature.getDToken().toString()).isEqualTo(SUBMITTER);
        assertThat(signature.getSelector().toString()).isEqualTo("tlsrpt");
        assertThat(signature.getHashKeyType() + "-" + signature.getHashMethod()).isEqualTo("rsa-sha256");
        assertThat(signature.getHeaderCanonicalisationMethod()).isEqualTo("relaxed");
        assertThat(signature.getBodyCanonicalisationMethod()).isEqualTo("relaxed");
        assertThat(signature.getHeaders().stream().map(h -> h.toString().toLowerCase()).collect(Collectors.toList()))
            .containsExactly("from", "to", "subject", "date", "message-id", "tls-report-domain", "tls-report-submitter");
    }

    @Test
    void signatureShouldBeTheFirstHeaderAndKeepTheReportMessageId() throws Exception {
        String raw = signedRaw();

        assertThat(raw).startsWith("DKIM-Signature:");
        assertThat(raw).contains("Message-ID: <" + ReportFixtures.sampleReport().reportId() + "@" + SUBMITTER + ">");
    }

    @Test
    void signedMailShouldStillVerifyAfterSaveChanges() throws Exception {
        // James may call saveChanges on the mails it queues; that must not regenerate signed headers or parts.
        MimeMessage signed = signedReportMail(DkimReportSigner.of(SUBMITTER, "tlsrpt", TestDkim.privateKey()));
        signed.saveChanges();

        assertThat(verify(raw(signed))).hasSize(1);
    }

    @Test
    void tamperedBodyShouldFailVerification() throws Exception {
        String raw = signedRaw();
        String tampered = raw.replace("This is an aggregate TLS report", "This is an aggregate TLS rep0rt");
        assertThat(tampered).isNotEqualTo(raw);

        assertThatThrownBy(() -> verify(tampered)).isInstanceOf(FailException.class);
    }

    @Test
    void tamperedSignedHeaderShouldFailVerification() throws Exception {
        String raw = signedRaw();
        String tampered = raw.replace("TLS-Report-Domain: " + ReportFixtures.DOMAIN, "TLS-Report-Domain: evil.test");
        assertThat(tampered).isNotEqualTo(raw);

        assertThatThrownBy(() -> verify(tampered)).isInstanceOf(FailException.class);
    }

    @Test
    void signatureByAnotherKeyShouldFailAgainstThePublishedKey() throws Exception {
        RSAPrivateCrtKey other = (RSAPrivateCrtKey) DkimKeyFile.generate().getPrivate();
        String raw = raw(signedReportMail(DkimReportSigner.of(SUBMITTER, "tlsrpt", other)));

        assertThatThrownBy(() -> verify(raw)).isInstanceOf(FailException.class);
    }

    @Test
    void selectorShouldBeADnsLabel() {
        assertThatThrownBy(() -> DkimReportSigner.of(SUBMITTER, "tls rpt;", TestDkim.privateKey()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("selector");
    }
}
