package io.github.jamesmtasts.mtasts.resolve;

/**
 * Answers "which MTA-STS policy applies to this recipient domain right now" (RFC 8461 3.3, 5.1).
 * Thread-safe. A warm cache answers without I/O.
 */
public interface PolicyResolver {

    /**
     * @param domain the recipient domain (policy domain, RFC 8461 3.4); lower case or not, no trailing dot needed
     */
    PolicyDecision resolve(String domain);

    /**
     * RFC 8461 5.1: called before a message is failed permanently. Checks the TXT id now, ignoring the usual
     * check interval, and fetches a newer policy when the id changed.
     */
    PolicyDecision recheck(String domain);
}
