package io.github.jamesmtasts.tlsrpt.james;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyException;
import io.github.jamesmtasts.tlsrpt.dkim.DkimKeyFile;
import io.github.jamesmtasts.tlsrpt.dkim.DkimReportSigner;
import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.net.TrustSettings;
import io.github.jamesmtasts.tlsrpt.report.ReportIdentity;
import io.github.jamesmtasts.tlsrpt.send.DestinationPool;
import io.github.jamesmtasts.tlsrpt.send.DispatchSettings;
import io.github.jamesmtasts.tlsrpt.send.HttpsReportSender;
import io.github.jamesmtasts.tlsrpt.send.ReportScheduler;
import io.github.jamesmtasts.tlsrpt.config.Durations;

/**
 * The {@code TlsRptReportMailet} parameters of mailetcontainer.xml, checked at startup: a bad value stops James with a
 * message naming the parameter and what to write instead.
 */
final class ReportMailetSettings {

    private static final Logger LOGGER = LoggerFactory.getLogger(ReportMailetSettings.class);

    static final String ORGANIZATION_NAME = "organizationName";
    static final String CONTACT_INFO = "contactInfo";
    static final String SUBMITTER_DOMAIN = "submitterDomain";
    static final String REPORT_SENDER = "reportSender";
    static final String SEND_WINDOW = "sendWindow";
    static final String TICK_INTERVAL = "tickInterval";
    static final String CLAIM_LEASE = "claimLease";
    static final String HTTPS_TIMEOUT = "httpsTimeout";
    /**
     * Collectors' trust and SSRF allow-list: {@code https.trustStore}, {@code https.trustStoreType},
     * {@code https.trustStorePassword}, {@code https.allowNetworks}; the names before the one scheme stay aliases.
     */
    static final TrustSettings HTTPS_TRUST = TrustSettings.scope("https")
        .withAlias(TrustSettings.TRUST_STORE, "httpsTrustStore")
        .withAlias(TrustSettings.TRUST_STORE_TYPE, "httpsTrustStoreType")
        .withAlias(TrustSettings.TRUST_STORE_PASSWORD, "httpsTrustStorePassword")
        .withAlias(TrustSettings.ALLOW_NETWORKS, "httpsAllowedNetworks");
    static final String NODE_ID = "nodeId";
    static final String SEED = "seed";
    static final String MAX_DESTINATIONS = "maxDestinations";
    static final String SEND_THREADS = "sendThreads";
    static final String DKIM_SIGN = "dkimSign";
    static final String DKIM_SELECTOR = "dkimSelector";
    static final String DKIM_PRIVATE_KEY = "dkimPrivateKey";
    /** Relative to James's working directory, like James's own conf/ files. */
    static final String DEFAULT_DKIM_PRIVATE_KEY = "conf/tlsrpt-dkim.pem";

    final ReportIdentity identity;
    final InternetAddress reportSender;
    final Duration sendWindow;
    final Duration tickInterval;
    final Duration claimLease;
    final Duration httpsTimeout;
    final AddressGuard addressGuard;
    final TrustAnchors trust;
    final Optional<String> nodeId;
    final Optional<Long> seed;
    final int maxDestinations;
    final int sendThreads;
    /** Empty only when {@code dkimSign=false}: the administrator chose unsigned report mails. */
    final Optional<DkimReportSigner> dkim;

    private ReportMailetSettings(Function<String, Optional<String>> parameters, Path workingDirectory) {
        String contactInfo = required(parameters, CONTACT_INFO);
        this.identity = ReportIdentity.of(required(parameters, ORGANIZATION_NAME), contactInfo,
            parameters.apply(SUBMITTER_DOMAIN).orElseGet(() -> domainOf(contactInfo)));
        this.reportSender = address(REPORT_SENDER, parameters.apply(REPORT_SENDER).orElse(contactInfo));
        this.sendWindow = duration(parameters, SEND_WINDOW, ReportScheduler.DEFAULT_WINDOW);
        this.tickInterval = duration(parameters, TICK_INTERVAL, ReportScheduler.DEFAULT_TICK);
        this.claimLease = duration(parameters, CLAIM_LEASE, DispatchSettings.DEFAULT_LEASE);
        this.httpsTimeout = duration(parameters, HTTPS_TIMEOUT, HttpsReportSender.DEFAULT_TIMEOUT);
        try {
            DispatchSettings.checkLease(claimLease, httpsTimeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TlsRptReportMailet: '" + CLAIM_LEASE + "' and '" + HTTPS_TIMEOUT + "': "
                + e.getMessage(), e);
        }
        this.maxDestinations = parameters.apply(MAX_DESTINATIONS).map(ReportMailetSettings::maxDestinations)
            .orElse(DispatchSettings.DEFAULT_MAX_DESTINATIONS);
        this.sendThreads = parameters.apply(SEND_THREADS).map(ReportMailetSettings::sendThreads)
            .orElse(DestinationPool.DEFAULT_THREADS);
        this.addressGuard = AddressGuard.allowing(networks(parameters));
        this.trust = trust(parameters, workingDirectory);
        this.nodeId = parameters.apply(NODE_ID);
        this.seed = parameters.apply(SEED).map(ReportMailetSettings::seed);
        this.dkim = dkim(parameters, workingDirectory, identity.submitterDomain());
    }

    /**
     * @param parameters the mailet's init parameters; blank values count as absent. Relative paths resolve against
     *     James's working directory (the {@code working.directory} system property James's launcher sets).
     */
    static ReportMailetSettings parse(Function<String, Optional<String>> parameters) {
        return parse(parameters, Paths.get(System.getProperty("working.directory", ".")));
    }

    static ReportMailetSettings parse(Function<String, Optional<String>> parameters, Path workingDirectory) {
        return new ReportMailetSettings(name -> parameters.apply(name).map(String::trim).filter(v -> !v.isEmpty()),
            workingDirectory);
    }

    /** RFC 8460 3: mailed reports must carry a valid DKIM signature of the submitter domain, so signing is the default. */
    private static Optional<DkimReportSigner> dkim(Function<String, Optional<String>> parameters, Path workingDirectory,
                                                   String domain) {
        if (!bool(parameters, DKIM_SIGN, true)) {
            return Optional.empty();
        }
        String selector = parameters.apply(DKIM_SELECTOR).orElse(DkimReportSigner.DEFAULT_SELECTOR);
        String file = parameters.apply(DKIM_PRIVATE_KEY).orElse(DEFAULT_DKIM_PRIVATE_KEY);
        Path path = workingDirectory.resolve(file);
        try {
            DkimReportSigner signer = DkimReportSigner.of(domain, selector, DkimKeyFile.read(path));
            if (DkimKeyFile.readableByOthers(path)) {
                LOGGER.warn("TlsRptReportMailet: the DKIM private key {} is readable by other users; restrict it to"
                    + " the James user: chmod 600 {}", path.toAbsolutePath(), path.toAbsolutePath());
            }
            return Optional.of(signer);
        } catch (DkimKeyException e) {
            throw new IllegalArgumentException("TlsRptReportMailet: " + e.getMessage() + ". Report mails must be"
                + " DKIM-signed by " + domain + " (RFC 8460 3). Create the key with: mta-sts dkim-keygen --domain "
                + domain + " --selector " + selector + " --out " + path + " and publish the TXT record it prints;"
                + " or set '" + DKIM_PRIVATE_KEY + "' to your key file; or set '" + DKIM_SIGN + "' to false to send"
                + " unsigned reports, which receivers may ignore", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TlsRptReportMailet: '" + DKIM_SELECTOR + "': " + e.getMessage(), e);
        }
    }

    private static boolean bool(Function<String, Optional<String>> parameters, String name, boolean defaultValue) {
        Optional<String> value = parameters.apply(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (value.get().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.get().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("TlsRptReportMailet: '" + name + "' must be true or false, got " + value.get());
    }

    private static String required(Function<String, Optional<String>> parameters, String name) {
        return parameters.apply(name).orElseThrow(() -> new IllegalArgumentException("TlsRptReportMailet: parameter '"
            + name + "' is required (RFC 8460 4.4 reports must name the submitter)"));
    }

    private static String domainOf(String contactInfo) {
        int at = contactInfo.lastIndexOf('@');
        if (at < 0 || at == contactInfo.length() - 1) {
            throw new IllegalArgumentException("TlsRptReportMailet: '" + CONTACT_INFO + "' is not an email address;"
                + " set '" + SUBMITTER_DOMAIN + "' to the domain that submits the reports");
        }
        return contactInfo.substring(at + 1);
    }

    private static InternetAddress address(String name, String value) {
        try {
            return new InternetAddress(value, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("TlsRptReportMailet: '" + name + "' = '" + value
                + "' is not an email address, e.g. tlsrpt-noreply@example.com", e);
        }
    }

    static Duration duration(Function<String, Optional<String>> parameters, String name, Duration defaultValue) {
        Optional<String> value = parameters.apply(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        Duration parsed = Durations.parse(value.get()).orElseThrow(() -> new IllegalArgumentException(
            "TlsRptReportMailet: '" + name + "' = '" + value.get() + "' is not a duration; write e.g. " + Durations.EXAMPLES));
        if (parsed.isNegative() || parsed.isZero()) {
            throw new IllegalArgumentException("TlsRptReportMailet: '" + name + "' must be positive, got " + value.get());
        }
        return parsed;
    }

    private static List<Cidr> networks(Function<String, Optional<String>> parameters) {
        try {
            return HTTPS_TRUST.allowNetworks(parameters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TlsRptReportMailet: " + e.getMessage(), e);
        }
    }

    private static TrustAnchors trust(Function<String, Optional<String>> parameters, Path workingDirectory) {
        try {
            // RFC 6125 6.4.4: the collector must be named by a subjectAltName DNS-ID, as policy hosts and MX hosts are.
            return HTTPS_TRUST.trustSource(parameters, workingDirectory::resolve).map(TrustAnchors::load)
                .orElseGet(TrustAnchors::jvmDefault);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TlsRptReportMailet: '" + HTTPS_TRUST.nameInUse(parameters,
                TrustSettings.TRUST_STORE) + "': " + e.getMessage(), e);
        }
    }

    private static int maxDestinations(String value) {
        try {
            int max = Integer.parseInt(value);
            if (max >= 1) {
                return max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("TlsRptReportMailet: '" + MAX_DESTINATIONS + "' must be a whole number of"
            + " at least 1 (rua destinations per report domain), got " + value);
    }

    private static int sendThreads(String value) {
        try {
            int threads = Integer.parseInt(value);
            if (threads >= 1 && threads <= DestinationPool.MAX_THREADS) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("TlsRptReportMailet: '" + SEND_THREADS + "' must be a whole number from 1 to "
            + DestinationPool.MAX_THREADS + " (report destinations sent at once), got " + value);
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TlsRptReportMailet: '" + SEED + "' must be a whole number, got " + value, e);
        }
    }
}
