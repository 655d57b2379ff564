package io.github.jamesmtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edits the harness makes to a copy of the example configuration. */
class ConfFilesTest {
    @TempDir
    Path conf;

    @Test
    void setPropertyShouldReplaceCommentedLineAndAppendUnknownKey() throws Exception {
        Path file = Files.writeString(conf.resolve("webadmin.properties"), "enabled=true\nport=8000\n#extensions.routes=\n");

        ConfFiles.setProperty(file, "port", "9001");
        ConfFiles.setProperty(file, "extensions.routes", "a.B");
        ConfFiles.setProperty(file, "host", "127.0.0.9");

        assertThat(Files.readAllLines(file)).containsExactly("enabled=true", "port=9001", "extensions.routes=a.B", "host=127.0.0.9");
    }

    @Test
    void mailetParameterShouldBeSetOnlyOnTheNamedMailetClass() throws Exception {
        Path file = Files.writeString(conf.resolve("mailetcontainer.xml"), "<mailetcontainer><processors>"
                + "<processor state=\"relay\"><mailet match=\"All\" class=\"" + ExampleConf.DELIVERY_MAILET + "\">"
                + "<delayTime>5000</delayTime></mailet><mailet match=\"All\" class=\"Null\"/></processor>"
                + "</processors></mailetcontainer>");

        ConfFiles.setMailetParameter(file, ExampleConf.DELIVERY_MAILET, "delayTime", "1000");
        ConfFiles.setMailetParameter(file, ExampleConf.DELIVERY_MAILET, "mtasts.enabled", "false");

        String xml = Files.readString(file);
        assertThat(xml).contains("<delayTime>1000</delayTime>").contains("<mtasts.enabled>false</mtasts.enabled>")
                .contains("<mailet class=\"Null\" match=\"All\"/>");
    }

    @Test
    void editShouldFailNamingTheFileWhenTheExampleLacksTheTarget() throws Exception {
        Path file = Files.writeString(conf.resolve("mailetcontainer.xml"), "<mailetcontainer/>");

        assertThatThrownBy(() -> ConfFiles.replaceMailetClass(file, ExampleConf.DELIVERY_MAILET, "RemoteDelivery"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mailetcontainer.xml").hasMessageContaining(ExampleConf.DELIVERY_MAILET);
    }

    @Test
    void dnsServersShouldReplaceTheServerList() throws Exception {
        Path file = Files.writeString(conf.resolve("dnsservice.xml"),
                "<dnsservice><autodiscover>true</autodiscover><servers><server>9.9.9.9</server></servers></dnsservice>");

        ConfFiles.setXmlText(file, "autodiscover", "false");
        ConfFiles.setXmlList(file, "servers", "server", List.of("127.0.10.53"));

        assertThat(Files.readString(file)).contains("<autodiscover>false</autodiscover>")
                .contains("<servers><server>127.0.10.53</server></servers>").doesNotContain("9.9.9.9");
    }
}
