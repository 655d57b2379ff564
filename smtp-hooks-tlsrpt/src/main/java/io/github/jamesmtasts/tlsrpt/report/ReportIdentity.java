package io.github.jamesmtasts.tlsrpt.report;

import java.util.Objects;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Who submits reports (RFC 8460 4.4 {@code organization-name}, {@code contact-info}; 5.3 the submitter domain used in
 * {@code TLS-Report-Submitter}, the file name and the Message-ID). Configured once by the administrator.
 */
public final class ReportIdentity {

    private final String organizationName;
    private final String contactInfo;
    private final String submitterDomain;

    private ReportIdentity(String organizationName, String contactInfo, String submitterDomain) {
        this.organizationName = requireText(organizationName, "organizationName");
        this.contactInfo = requireText(contactInfo, "contactInfo");
        this.submitterDomain = DomainName.parseHostName(requireText(submitterDomain, "submitterDomain"))
            .orElseThrow(problem -> new IllegalArgumentException("submitterDomain: " + problem
                + "; give a host name such as mail.example.com")).asString();
    }

    /**
     * @param contactInfo an email address or URL where the report's recipients can reach the submitter
     * @param submitterDomain RFC 8460 5.3: the domain of the contact address, e.g. {@code example.com}; U-labels are
     *     written as A-labels; one label (James's default domain {@code localhost}) is accepted
     */
    public static ReportIdentity of(String organizationName, String contactInfo, String submitterDomain) {
        return new ReportIdentity(organizationName, contactInfo, submitterDomain);
    }

    private static String requireText(String value, String name) {
        String trimmed = Objects.requireNonNull(value, name).trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty (RFC 8460 4.4 forbids empty fields)");
        }
        return trimmed;
    }

    public String organizationName() {
        return organizationName;
    }

    public String contactInfo() {
        return contactInfo;
    }

    public String submitterDomain() {
        return submitterDomain;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReportIdentity)) {
            return false;
        }
        ReportIdentity that = (ReportIdentity) o;
        return organizationName.equals(that.organizationName) && contactInfo.equals(that.contactInfo)
            && submitterDomain.equals(that.submitterDomain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(organizationName, contactInfo, submitterDomain);
    }

    @Override
    public String toString() {
        return "ReportIdentity{" + organizationName + ", " + contactInfo + ", " + submitterDomain + "}";
    }
}
