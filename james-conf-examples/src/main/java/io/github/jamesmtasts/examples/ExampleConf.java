package io.github.jamesmtasts.examples;

/** Names in the example configuration (src/main/conf) that the harness and the tests refer to. */
public final class ExampleConf {
    /** The delivery mailet of the example's "relay" processor. */
    public static final String DELIVERY_MAILET = "io.github.jamesmtasts.mtasts.james.MtaStsRemoteDelivery";
    /** The Guice module of extensions.properties. */
    public static final String GUICE_MODULE = "io.github.jamesmtasts.mtasts.james.MtaStsModule";

    private ExampleConf() {
    }
}
