package io.github.jamesmtasts.examples.demo;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.jamesmtasts.examples.JamesServerProcess;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.SmtpSessionRecord;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * Tells in plain words what happened to one demo mail: for each MX of its domain, what the sandbox SMTP server saw
 * (delivered, over which TLS version; or a session without a message) and why James refused it (its log line
 * "MTA-STS session failed ... result=..." and the RFC 8460 result type of today's TLS-RPT report).
 */
final class MailFates {
    private static final Pattern SESSION_FAILED = Pattern.compile(
        "MTA-STS session failed: domain=(\\S+) .*?mx=(\\S+?)\\.? ip=(\\S+) result=(\\S+) \\((.*)\\)");

    private final Sandbox sandbox;
    private final JamesServerProcess james;

    MailFates(Sandbox sandbox, JamesServerProcess james) {
        this.sandbox = sandbox;
        this.james = james;
    }

    /** Lines describing the fate of the mail with {@code subject} sent to {@code domain}, whose MX hosts are {@code mxHosts}. */
    List<String> describe(String recipient, String subject, String domain, List<String> mxHosts) {
        List<String> lines = new ArrayList<>();
        lines.add("Mail \"" + subject + "\" to " + recipient + "  [" + policyOf(domain) + "]");
        String log = james.log();
        String report = james.webAdmin("GET", "/tlsrpt/days/today/reports/" + domain, null).body();
        boolean delivered = false;
        for (String host : mxHosts) {
            TestSmtpServer server = sandbox.mx(host);
            String where = host + " (" + server.address().getHostAddress() + ")";
            Optional<ReceivedMessage> received = server.messages().stream()
                .filter(m -> m.dataAsString().contains("Subject: " + subject)).findFirst();
            // The RFC 8460 result type as today's report has it; James's log adds the exception when it refused.
            Optional<String> detail = lastMatch(SESSION_FAILED, log, domain, host).map(m -> " (" + m.group(5) + ")");
            Optional<String> refusal = resultType(report, host).map(type -> type + detail.orElse(""));
            if (received.isPresent()) {
                delivered = true;
                String tls = received.get().tlsProtocol().map(p -> "over " + p).orElse("in PLAINTEXT");
                lines.add("  DELIVERED to " + where + " " + tls
                    + refusal.map(r -> "; TLS problem recorded for TLS-RPT: " + r).orElse(""));
            } else if (refusal.isPresent() || lastMatch(SESSION_FAILED, log, domain, host).isPresent()) {
                lines.add("  REFUSED    " + where + ": " + refusal.orElse("see james.log") + serverView(server));
            } else {
                lines.add("  not tried  " + where);
            }
        }
        if (!delivered) {
            lines.add("  NOT DELIVERED (yet): James keeps it in its outgoing queue and retries");
        }
        return lines;
    }

    /** "MTA-STS enforce (policy id ...)" or "no MTA-STS policy", from WebAdmin's cached policy of the domain. */
    private String policyOf(String domain) {
        HttpResponse<String> policy = james.webAdmin("GET", "/mta-sts/policies/" + domain, null);
        if (policy.statusCode() != 200) {
            return "no MTA-STS policy: delivered as before, opportunistic STARTTLS";
        }
        Matcher mode = Pattern.compile("\"mode\"\\s*:\\s*\"([^\"]+)\"").matcher(policy.body());
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(policy.body());
        String text = "MTA-STS mode " + (mode.find() ? mode.group(1) : "?") + ", policy id " + (id.find() ? id.group(1) : "?");
        if (text.contains("mode enforce")) {
            return text + ": only matching MX hosts, STARTTLS with TLS 1.2+ and a valid certificate";
        }
        return text.contains("mode testing") ? text + ": delivered even when TLS fails, failures reported" : text;
    }

    /** The result-type of the failure-details entry (a flat JSON object) whose receiving-mx-hostname is {@code host}. */
    private static Optional<String> resultType(String report, String host) {
        Matcher entry = Pattern.compile("\\{[^{}]*\"receiving-mx-hostname\"\\s*:\\s*\"" + Pattern.quote(host) + "\"[^{}]*\\}")
            .matcher(report);
        if (!entry.find()) {
            return Optional.empty();
        }
        Matcher type = Pattern.compile("\"result-type\"\\s*:\\s*\"([^\"]+)\"").matcher(entry.group());
        return type.find() ? Optional.of(type.group(1)) : Optional.empty();
    }

    private static String serverView(TestSmtpServer server) {
        for (SmtpSessionRecord session : server.sessions()) {
            if (session.handshakeFailure().isPresent()) {
                return "; the server saw the TLS handshake fail: " + session.handshakeFailure().get();
            }
        }
        return "";
    }

    private static Optional<Matcher> lastMatch(Pattern pattern, String log, String domain, String host) {
        Optional<Matcher> found = Optional.empty();
        for (String line : log.split("\n")) {
            Matcher m = pattern.matcher(line);
            if (m.find() && m.group(1).equals(domain) && m.group(2).equals(host)) {
                found = Optional.of(m);
            }
        }
        return found;
    }
}
