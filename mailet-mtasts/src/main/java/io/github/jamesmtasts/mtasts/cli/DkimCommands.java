package io.github.jamesmtasts.mtasts.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyCheck;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyException;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyFile;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyRecord;
import io.github.jamesmtasts.tlsrpt.dns.DnsJavaTxtResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The DKIM key of the TLS-RPT report mails (RFC 8460 3): {@code dkim-keygen} creates it where the report mailet reads
 * it and prints the DNS record to publish; {@code dkim-check} says whether the published record matches it.
 */
final class DkimCommands {

    private DkimCommands() {
    }

    /** @return {@link MtaStsCommand#OK}, or {@link MtaStsCommand#PROBLEM} when the key file cannot be written */
    static int keygen(DkimOptions options, PrintStream out, PrintStream err) {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) DkimKeyFile.generate().getPrivate();
        try {
            DkimKeyFile.write(options.keyFile(), key, options.force());
        } catch (FileAlreadyExistsException e) {
            err.println("mta-sts: " + options.keyFile() + " already exists and may be the key in use (its DNS record"
                + " would stop matching); check it with: mta-sts dkim-check --domain " + options.domain() + " --selector "
                + options.selector() + " --key " + options.keyFile() + "; add --force to replace it");
            return MtaStsCommand.PROBLEM;
        } catch (IOException e) {
            err.println("mta-sts: cannot write " + options.keyFile().toAbsolutePath() + ": " + e);
            return MtaStsCommand.PROBLEM;
        }
        RSAPublicKey publicKey = DkimKeyFile.publicKeyOf(key);
        out.println("Wrote a " + DkimKeyFile.GENERATED_KEY_BITS + "-bit RSA DKIM private key to "
            + options.keyFile().toAbsolutePath() + " (readable by its owner only; James must be able to read it).");
        out.println("Publish this DNS TXT record (zone file syntax; the long value is split into 255-byte strings):");
        out.println();
        out.println(DkimKeyRecord.zoneFileLine(options.selector(), options.domain(), publicKey));
        out.println();
        out.println("TlsRptReportMailet settings: dkimPrivateKey " + options.keyFile() + ", dkimSelector "
            + options.selector() + ", signing domain " + options.domain() + " (its submitterDomain / contactInfo domain).");
        out.println("Once published: mta-sts dkim-check --domain " + options.domain() + " --selector " + options.selector()
            + " --key " + options.keyFile());
        return MtaStsCommand.OK;
    }

    /** @return {@link MtaStsCommand#OK} when the published record matches the key, else {@link MtaStsCommand#PROBLEM} */
    static int check(DkimOptions options, PrintStream out, PrintStream err) throws UsageException {
        RSAPrivateCrtKey key;
        try {
            key = DkimKeyFile.read(options.keyFile());
        } catch (DkimKeyException e) {
            err.println("mta-sts: " + e.getMessage() + "; create it with: mta-sts dkim-keygen --domain " + options.domain()
                + " --selector " + options.selector() + " --out " + options.keyFile());
            return MtaStsCommand.PROBLEM;
        }
        DomainName name = DkimKeyRecord.name(options.selector(), options.domain());
        DnsJavaTxtResolver dns = DnsJavaTxtResolver.using(CheckWiring.resolver(options.dns(), options.timeout()));
        DkimKeyCheck result = DkimKeyCheck.of(options.selector(), options.domain(), DkimKeyFile.publicKeyOf(key),
            dns.lookup(name));
        out.println((result.matches() ? "OK       " : "PROBLEM  ") + name + ": " + result.message());
        return result.matches() ? MtaStsCommand.OK : MtaStsCommand.PROBLEM;
    }

    static List<String> usage() {
        return List.of(
            "       mta-sts dkim-keygen --domain DOMAIN [--selector S] [--out FILE] [--force]",
            "       mta-sts dkim-check --domain DOMAIN [--selector S] [--key FILE] [--dns HOST[:PORT]] [--timeout SECONDS]");
    }
}
