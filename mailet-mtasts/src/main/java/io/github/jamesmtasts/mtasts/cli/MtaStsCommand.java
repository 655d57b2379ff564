package io.github.jamesmtasts.mtasts.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * {@code mta-sts check [options] DOMAIN...}: diagnoses domains like the public MTA-STS validators. Exit status 0 when
 * mail to every domain is deliverable under its policy, 1 otherwise, 2 for a usage error. {@code mta-sts dkim-keygen}
 * and {@code mta-sts dkim-check} set up and check the DKIM key of the TLS-RPT report mails ({@link DkimCommands}).
 */
public final class MtaStsCommand {

    public static final int OK = 0;
    public static final int PROBLEM = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = String.join(System.lineSeparator(),
        "Usage: mta-sts check [options] DOMAIN...",
        DkimCommands.usage().get(0),
        DkimCommands.usage().get(1),
        "",
        "Diagnoses the MTA-STS (RFC 8461) setup of each DOMAIN: the _mta-sts TXT record, the policy at",
        "https://mta-sts.DOMAIN/.well-known/mta-sts.txt, and every MX host (policy match, STARTTLS, TLS version,",
        "certificate, and the RFC 8460 result a delivery would record). No mail is sent. With --dane it also",
        "says what DANE (RFC 7672) decides for each MX host; DANE takes precedence over MTA-STS where it applies.",
        "",
        "Options:",
        "  --json                    one JSON object per domain per line",
        "  --dane                    check DANE (RFC 7672) too: DNSSEC-validated MX and TLSA lookups, and each MX",
        "                            host with a secure TLSA RRset checked as a DANE sender does (TLSA match)",
        "  --trust-anchors FILE      DNSSEC trust anchors for --dane (DS or DNSKEY records, zone-file syntax)",
        "                            instead of the root zone's KSKs",
        "  --dns HOST[:PORT]         DNS server for TXT, MX and address lookups, and the upstream of the --dane",
        "                            validation (default: the system resolver)",
        "  --trust-store FILE        CA certificates to trust (PEM bundle, PKCS12 or JKS) instead of the JVM's",
        "  --trust-store-password P  password of a PKCS12 or JKS trust store",
        "  --allow-network CIDR      let the policy fetch connect to this non-public block (repeatable)",
        "  --timeout SECONDS         bound for each connection and read, 1-60 (default 10)",
        "  --ehlo NAME               name to announce in EHLO (default: this host's name)",
        "  --port PORT               SMTP port of the MX hosts (default 25; for test setups)",
        "  --policy-port PORT        HTTPS port of the policy host (default 443; for test setups)",
        "",
        "",
        "dkim-keygen creates the RSA 2048 key that signs the TLS-RPT report mails (RFC 8460 3), writes it as PKCS#8",
        "PEM (mode 600) where TlsRptReportMailet reads it (default conf/tlsrpt-dkim.pem, run from James's folder;",
        "an existing file is kept unless --force) and prints the TXT record to publish at SELECTOR._domainkey.DOMAIN",
        "(default selector tlsrpt). dkim-check looks that record up and says whether it matches the key file.",
        "",
        "Exit status: 0 every domain deliverable under its policy (dkim-*: done, key matches), 1 a problem was found,",
        "2 usage error.");

    private MtaStsCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.isEmpty()) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (arguments.contains("-h") || arguments.contains("--help") || "help".equals(arguments.get(0))) {
            out.println(USAGE_TEXT);
            return OK;
        }
        String command = arguments.get(0);
        if ("dkim-keygen".equals(command) || "dkim-check".equals(command)) {
            return dkim(command, arguments.subList(1, arguments.size()), out, err);
        }
        if (!"check".equals(command)) {
            err.println("mta-sts: unknown command '" + command + "'; the commands are check, dkim-keygen and dkim-check"
                + " (see mta-sts --help)");
            return USAGE;
        }
        DomainCheck check;
        CheckOptions options;
        try {
            options = CheckOptions.parse(arguments.subList(1, arguments.size()));
            check = CheckWiring.domainCheck(options);
        } catch (UsageException e) {
            err.println("mta-sts: " + e.getMessage());
            return USAGE;
        }
        boolean allDeliverable = true;
        for (DomainName domain : options.domains()) {
            CheckReport report = check.check(domain);
            out.println(options.json() ? JsonReport.render(report) : TextReport.render(report));
            out.flush();
            allDeliverable &= report.deliverable();
        }
        return allDeliverable ? OK : PROBLEM;
    }

    private static int dkim(String command, List<String> args, PrintStream out, PrintStream err) {
        try {
            DkimOptions options = DkimOptions.parse(command, args);
            return "dkim-keygen".equals(command) ? DkimCommands.keygen(options, out, err)
                : DkimCommands.check(options, out, err);
        } catch (UsageException e) {
            err.println("mta-sts: " + e.getMessage());
            return USAGE;
        }
    }
}
