package io.github.jamesmtasts.tlsrpt.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * The DKIM signing key of the report mails: an RSA private key in an unencrypted PKCS#8 PEM file
 * ({@code -----BEGIN PRIVATE KEY-----}, what {@code mta-sts dkim-keygen} and {@code openssl genpkey} write).
 */
public final class DkimKeyFile {

    /** A 4096-bit PKCS#8 PEM is about 3.3 KB; anything much larger is not a key file. */
    public static final int MAX_FILE_BYTES = 16 * 1024;
    /** RFC 8301 3.2: signers MUST use at least 1024 bits. */
    public static final int MIN_KEY_BITS = 1024;
    /** RFC 8301 3.2: verifiers must accept keys of 1024 to 4096 bits; larger ones may be refused. */
    public static final int MAX_KEY_BITS = 4096;
    /** RFC 8301 3.2: signers SHOULD use at least 2048 bits. */
    public static final int GENERATED_KEY_BITS = 2048;

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private DkimKeyFile() {
    }

    /** @throws DkimKeyException naming the file when it is missing, unreadable, not PKCS#8 PEM, not RSA or of a bad size */
    public static RSAPrivateCrtKey read(Path file) throws DkimKeyException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new DkimKeyException("DKIM private key " + file.toAbsolutePath() + " does not exist", e);
        } catch (IOException e) {
            throw new DkimKeyException("DKIM private key " + file.toAbsolutePath() + " cannot be read: " + e, e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new DkimKeyException("DKIM private key " + file.toAbsolutePath() + " is larger than " + MAX_FILE_BYTES
                + " bytes: not a key file");
        }
        return parse(new String(bytes, StandardCharsets.US_ASCII), file.toAbsolutePath().toString());
    }

    /** @param source names the key in error messages */
    static RSAPrivateCrtKey parse(String pem, String source) throws DkimKeyException {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new DkimKeyException("DKIM private key " + source + " is not a PKCS#8 PEM file (" + BEGIN
                + "); convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out NEW.pem");
        }
        String body = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            java.security.PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(key instanceof RSAPrivateCrtKey)) {
                throw new DkimKeyException("DKIM private key " + source + " lacks the RSA public parts (CRT form)");
            }
            RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_KEY_BITS || bits > MAX_KEY_BITS) {
                throw new DkimKeyException("DKIM private key " + source + " has " + bits + " bits; RFC 8301 wants "
                    + MIN_KEY_BITS + " to " + MAX_KEY_BITS + " (" + GENERATED_KEY_BITS + " recommended)");
            }
            return rsa;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new DkimKeyException("DKIM private key " + source + " is not an unencrypted RSA PKCS#8 key: "
                + e.getMessage() + " (rsa-sha256 needs RSA; encrypted keys are not supported)", e);
        }
    }

    /** The public half, as published in the {@code p=} tag of the selector's TXT record. */
    public static RSAPublicKey publicKeyOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM supports RSA", e);
        }
    }

    /** A new RSA key pair of {@link #GENERATED_KEY_BITS} bits from the JDK's strong random source. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(GENERATED_KEY_BITS);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM supports RSA", e);
        }
    }

    /** The PKCS#8 PEM text of {@code key}. */
    public static String pem(RSAPrivateCrtKey key) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return BEGIN + "\n" + base64 + "\n" + END + "\n";
    }

    /**
     * Writes {@code key} to {@code file}, readable by its owner only where the file system has POSIX permissions (the
     * file is created with mode 600 before the key is written, then moved into place).
     *
     * @throws FileAlreadyExistsException when {@code file} exists and {@code replace} is false: a key in use is never
     *     overwritten by accident (its TXT record would stop matching)
     */
    public static void write(Path file, RSAPrivateCrtKey key, boolean replace) throws IOException {
        if (!replace && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "a key is already there");
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, ".dkim-", ".tmp");
        try {
            ownerOnly(temporary);
            try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(pem(key).getBytes(StandardCharsets.US_ASCII));
            }
            if (replace) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // Not REPLACE_EXISTING: a file that appeared meanwhile is not overwritten either.
                Files.move(temporary, file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Whether users other than the owner may read {@code file} (group or others have read permission); false where
     * the file system has no POSIX permissions or they cannot be read.
     */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        Set<PosixFilePermission> ownerReadWrite = PosixFilePermissions.fromString("rw-------");
        try {
            Files.setPosixFilePermissions(file, ownerReadWrite);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the folder's ACL applies.
        }
    }
}
