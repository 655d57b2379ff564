package io.github.jamesmtasts.mtasts.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code mta-sts check [options] DOMAIN...}: diagnoses domains like the public MTA-STS validators. Exit status 0 when
 * mail to every domain is deliverable under its policy, 1 otherwise, 2 for a usage error.
 */
public final class MtaStsCommand {

    public static final int OK = 0;
    public static final int PROBLEM = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = String.join(System.lineSeparator(),
        "Usage: mta-sts check [options] DOMAIN...",
        "",
        "Diagnoses the MTA-STS (RFC 8461) setup of each DOMAIN: the _mta-sts TXT record, the policy at",
        "https://mta-sts.DOMAIN/.well-known/mta-sts.txt, and every MX host (policy match, STARTTLS, TLS version,",
        "certificate, and the RFC 8460 result a delivery would record). No mail is sent.",
        "",
        "Options:",
        "  --json                    one JSON object per domain per line",
        "  --dns HOST[:PORT]         DNS server for TXT, MX and address lookups (default: the system resolver)",
        "  --trust-store FILE        CA certificates to trust (PEM bundle or PKCS12) instead of the JVM's",
        "  --trust-store-password P  password of a PKCS12 trust store",
        "  --allow-network CIDR      let the policy fetch connect to this non-public block (repeatable)",
        "  --timeout SECONDS         bound for each connection and read, 1-60 (default 10)",
        "  --ehlo NAME               name to announce in EHLO (default: this host's name)",
        "  --port PORT               SMTP port of the MX hosts (default 25; for test setups)",
        "  --policy-port PORT        HTTPS port of the policy host (default 443; for test setups)",
        "",
        "Exit status: 0 every domain deliverable under its policy, 1 a problem was found, 2 usage error.");

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
        if (!"check".equals(arguments.get(0))) {
            err.println("mta-sts: unknown command '" + arguments.get(0) + "'; the command is 'check' (see mta-sts --help)");
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
        for (String domain : options.domains()) {
            CheckReport report = check.check(domain);
            out.println(options.json() ? JsonReport.render(report) : TextReport.render(report));
            out.flush();
            allDeliverable &= report.deliverable();
        }
        return allDeliverable ? OK : PROBLEM;
    }
}
