package io.github.jamesmtasts.examples.clock;

import java.time.Clock;
import java.time.Duration;

import org.apache.james.ExtraProperties;
import org.apache.james.FakeSearchMailboxModule;
import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerMain;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.modules.RunArgumentsModule;
import org.apache.james.modules.server.JMXServerModule;

/**
 * TEST ONLY, runs inside the James JVM of an end-to-end test, never in an installation: James 3.8.1's memory app
 * exactly as {@link MemoryJamesServerMain#main} builds it, plus one override of James's own {@code Clock} binding
 * ({@code org.apache.james.modules.ClockModule}: {@code Clock.systemUTC()}). Every component that takes James's
 * clock - James's own and our extension's - then reads a clock that runs at normal speed, shifted by the system
 * property {@value #OFFSET_PROPERTY} (an ISO-8601 duration, e.g. {@code PT-8H30M}). That is how a test lets James
 * cross 00:00 UTC whenever it wants.
 *
 * <p>An extension module ({@code extensions.properties}) cannot do this: James 3.8.1's {@code GuiceGenericLoader}
 * installs those modules in a child injector of James's injector, and Guice refuses a child binding for a key the
 * parent already binds. {@link ShiftedClockJames} packs this class into a jar for {@code JamesLauncher#mainClass}.
 */
public final class ShiftedClockJamesMain {
    public static final String OFFSET_PROPERTY = "jamesmtasts.test.clockOffset";

    private ShiftedClockJamesMain() {
    }

    public static void main(String[] args) throws Exception {
        String offset = System.getProperty(OFFSET_PROPERTY);
        if (offset == null) {
            throw new IllegalStateException("-D" + OFFSET_PROPERTY + "=<ISO-8601 duration> is required");
        }
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.parse(offset));
        // MemoryJamesServerMain.main of James 3.8.1, with the clock added to its overrides.
        ExtraProperties.initialize();
        MemoryJamesConfiguration configuration = MemoryJamesConfiguration.builder().useWorkingDirectoryEnvProperty()
            .build();
        GuiceJamesServer server = MemoryJamesServerMain.createServer(configuration)
            .combineWith(new FakeSearchMailboxModule(), new JMXServerModule())
            .overrideWith(new RunArgumentsModule(args), binder -> binder.bind(Clock.class).toInstance(clock));
        JamesServerMain.main(server);
    }
}
