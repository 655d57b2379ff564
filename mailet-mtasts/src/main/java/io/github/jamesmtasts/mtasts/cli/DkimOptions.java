package io.github.jamesmtasts.mtasts.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyRecord;
import io.github.jamesmtasts.tlsrpt.dkim.DkimReportSigner;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The arguments of {@code mta-sts dkim-keygen} and {@code mta-sts dkim-check}: {@code --domain D [--selector S]
 * [--out|--key FILE] [--force] [--dns HOST[:PORT]] [--timeout SECONDS]}. Each command accepts its own subset.
 */
final class DkimOptions {

    /** Where the report mailet reads its key by default (its {@code dkimPrivateKey}), from James's folder. */
    static final String DEFAULT_KEY_FILE = "conf/tlsrpt-dkim.pem";

    private final DomainName domain;
    private final String selector;
    private final Path keyFile;
    private final boolean force;
    private final Optional<DnsServer> dns;
    private final Duration timeout;

    private DkimOptions(DomainName domain, String selector, Path keyFile, boolean force, Optional<DnsServer> dns,
                        Duration timeout) {
        this.domain = domain;
        this.selector = selector;
        this.keyFile = keyFile;
        this.force = force;
        this.dns = dns;
        this.timeout = timeout;
    }

    /**
     * @param command {@code dkim-keygen} (takes --out and --force) or {@code dkim-check} (takes --key, --dns, --timeout)
     * @throws UsageException for an unknown option, a missing or bad value, or no --domain
     */
    static DkimOptions parse(String command, List<String> args) throws UsageException {
        boolean keygen = "dkim-keygen".equals(command);
        DomainName domain = null;
        String selector = DkimReportSigner.DEFAULT_SELECTOR;
        Path keyFile = Paths.get(DEFAULT_KEY_FILE);
        boolean force = false;
        Optional<DnsServer> dns = Optional.empty();
        Duration timeout = CheckOptions.DEFAULT_TIMEOUT;
        Iterator<String> it = args.iterator();
        while (it.hasNext()) {
            String arg = it.next();
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            Optional<String> inline = arg.startsWith("--") && eq > 0 ? Optional.of(arg.substring(eq + 1)) : Optional.empty();
            if (keygen && "--force".equals(name) && inline.isEmpty()) {
                force = true;
                continue;
            }
            if (!name.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + arg + "'; give the domain as --domain "
                    + arg);
            }
            String value = inline.isPresent() ? inline.get() : next(it, name);
            if ("--domain".equals(name)) {
                domain = OptionValues.domain(value);
            } else if ("--selector".equals(name)) {
                if (!DkimKeyRecord.isSelector(value)) {
                    throw new UsageException("--selector " + value + ": expected DNS labels, e.g. "
                        + DkimReportSigner.DEFAULT_SELECTOR);
                }
                selector = value;
            } else if (keygen && "--out".equals(name) || !keygen && "--key".equals(name)) {
                keyFile = Paths.get(value);
            } else if (!keygen && "--dns".equals(name)) {
                dns = Optional.of(DnsServer.parse(value));
            } else if (!keygen && "--timeout".equals(name)) {
                timeout = OptionValues.timeout(value);
            } else {
                throw new UsageException(command + ": unknown option " + name + " (see mta-sts --help)");
            }
        }
        if (domain == null) {
            throw new UsageException(command + ": --domain is required: the report submitter domain (d= of the"
                + " signatures), e.g. --domain example.com");
        }
        return new DkimOptions(domain, selector, keyFile, force, dns, timeout);
    }

    private static String next(Iterator<String> it, String name) throws UsageException {
        if (!it.hasNext()) {
            throw new UsageException(name + " needs a value");
        }
        return it.next();
    }

    DomainName domain() {
        return domain;
    }

    String selector() {
        return selector;
    }

    /** --out of dkim-keygen, --key of dkim-check. */
    Path keyFile() {
        return keyFile;
    }

    boolean force() {
        return force;
    }

    Optional<DnsServer> dns() {
        return dns;
    }

    Duration timeout() {
        return timeout;
    }
}
