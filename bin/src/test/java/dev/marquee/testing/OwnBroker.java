package dev.marquee.testing;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.Provisioner;
import dev.marquee.demo.DemoCommand;
import dev.marquee.local.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension for a test class that needs a KRaft broker of its own (topics created) next to
 * the shared registry of {@link Platform}: tests that reason about event time, or replay whole
 * topics, must not see the records other test classes leave on the shared broker. Register it as a
 * static field ({@code @RegisterExtension static final OwnBroker BROKER = new OwnBroker();}); the
 * broker starts before the class's tests and stops after them.
 */
public final class OwnBroker implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private EmbeddedKafka kafka;
    private Endpoints endpoints;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("marquee-own-broker-");
        kafka = EmbeddedKafka.start(dir, 0);
        endpoints =
                new Endpoints(kafka.bootstrapServers(), Platform.endpoints().registryUrl(), null);
        new Provisioner(endpoints, new PrintStream(PrintStream.nullOutputStream())).provision();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        kafka.close();
        DemoCommand.deleteRecursively(dir);
    }

    /** This broker with the shared registry. */
    public Endpoints endpoints() {
        return endpoints;
    }
}
