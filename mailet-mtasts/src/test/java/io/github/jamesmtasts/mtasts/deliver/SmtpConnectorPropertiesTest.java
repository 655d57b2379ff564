package io.github.jamesmtasts.mtasts.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;

class SmtpConnectorPropertiesTest {

    private static Properties sslEnableProperties() {
        Properties defaults = new Properties();
        defaults.setProperty("mail.smtps.localhost", "out.sender.test");
        defaults.setProperty("mail.smtps.timeout", "30000");
        Properties properties = new Properties(defaults);
        properties.setProperty("mail.smtp.timeout", "10000");
        return properties;
    }

    @Test
    void implicitTlsShouldKeepTheHeloNameAndTimeoutsOfTheSmtpsProperties() {
        Properties flat = SmtpConnector.flatten(sslEnableProperties(), true);

        assertThat(flat.get("mail.smtp.localhost")).isEqualTo("out.sender.test");
        assertThat(flat.get("mail.smtps.localhost")).isEqualTo("out.sender.test");
        // An explicit smtp value wins over the smtps alias.
        assertThat(flat.get("mail.smtp.timeout")).isEqualTo("10000");
    }

    @Test
    void starttlsShouldCopyTheDefaultsLayerToTheTopLevelOnly() {
        Properties flat = SmtpConnector.flatten(sslEnableProperties(), false);

        // Properties.get ignores the defaults layer: javax.mail reads socket factories with get.
        assertThat(flat.get("mail.smtps.localhost")).isEqualTo("out.sender.test");
        assertThat(flat.get("mail.smtp.localhost")).isNull();
    }
}
