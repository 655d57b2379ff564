package io.github.jamesmtasts.tlsrpt.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.testing.TestDkim;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

class DkimKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void writtenKeyShouldReadBackAndBeReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("conf/tlsrpt-dkim.pem");

        DkimKeyFile.write(file, TestDkim.privateKey(), false);

        assertThat(DkimKeyFile.read(file)).isEqualTo(TestDkim.privateKey());
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(DkimKeyFile.publicKeyOf(DkimKeyFile.read(file))).isEqualTo(TestDkim.publicKey());
    }

    @Test
    void keyReadableByOthersShouldBeNoticed() throws Exception {
        Path file = TestDkim.writeKey(dir.resolve("tlsrpt-dkim.pem"));
        assertThat(DkimKeyFile.readableByOthers(file)).isFalse();

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(DkimKeyFile.readableByOthers(file)).isTrue();
    }

    @Test
    void existingFileShouldNotBeOverwrittenUnlessAsked() throws Exception {
        Path file = dir.resolve("tlsrpt-dkim.pem");
        Files.writeString(file, "the key in use");

        assertThatThrownBy(() -> DkimKeyFile.write(file, TestDkim.privateKey(), false))
            .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("the key in use");

        DkimKeyFile.write(file, TestDkim.privateKey(), true);
        assertThat(DkimKeyFile.read(file)).isEqualTo(TestDkim.privateKey());
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @Test
    void missingFileShouldBeNamed() {
        Path file = dir.resolve("conf/tlsrpt-dkim.pem");

        assertThatThrownBy(() -> DkimKeyFile.read(file)).isInstanceOf(DkimKeyException.class)
            .hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("does not exist");
    }

    @Test
    void otherFormatsShouldBeRefusedWithTheirFix() throws Exception {
        Path pkcs1 = dir.resolve("rsa.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> DkimKeyFile.read(pkcs1)).hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> DkimKeyFile.read(garbage)).hasMessageContaining("not an unencrypted RSA PKCS#8 key");
    }

    @Test
    void oversizedFileShouldBeRefusedBeforeParsing() throws Exception {
        Path big = dir.resolve("big.pem");
        Files.write(big, new byte[DkimKeyFile.MAX_FILE_BYTES + 1]);

        assertThatThrownBy(() -> DkimKeyFile.read(big)).hasMessageContaining("larger than " + DkimKeyFile.MAX_FILE_BYTES);
    }

    @Test
    void keysShorterThanRfc8301AllowsShouldBeRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(512);
        String pem = DkimKeyFile.pem((RSAPrivateCrtKey) generator.generateKeyPair().getPrivate());

        assertThatThrownBy(() -> DkimKeyFile.parse(pem, "weak.pem")).hasMessageContaining("512 bits");
    }

    @Test
    void zoneFileLineShouldSplitTheRecordIntoStringsOf255Bytes() {
        String line = DkimKeyRecord.zoneFileLine("tlsrpt", DomainName.of("Sender.Test.").orElseThrow(), TestDkim.publicKey());

        assertThat(line).startsWith("tlsrpt._domainkey.sender.test. IN TXT \"v=DKIM1; k=rsa; p=");
        String[] strings = line.substring(line.indexOf('"')).split("\" \"");
        assertThat(strings).hasSizeGreaterThan(1);
        StringBuilder joined = new StringBuilder();
        for (String s : strings) {
            String bare = s.replace("\"", "");
            assertThat(bare.getBytes(StandardCharsets.US_ASCII).length).isLessThanOrEqualTo(255);
            joined.append(bare);
        }
        assertThat(joined.toString()).isEqualTo(TestDkim.txtRecord());
        assertThat(Base64.getDecoder().decode(joined.substring(joined.indexOf("p=") + 2)))
            .isEqualTo(TestDkim.publicKey().getEncoded());
    }
}
