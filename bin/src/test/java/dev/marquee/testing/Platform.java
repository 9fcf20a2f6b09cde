package dev.marquee.testing;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.local.EmbeddedKafka;
import dev.marquee.stack.RegistryServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real KRaft broker (in process) and one real schema registry (Apicurio,
 * child process) per test JVM, started on first use on free loopback ports, topics created and
 * schemas registered, and stopped when the JVM exits. Starting them costs seconds, so every
 * integration test class shares them; tests isolate themselves by consumer group and transactional
 * id, not by broker.
 */
public final class Platform implements BeforeAllCallback {
    private static EmbeddedKafka kafka;
    private static RegistryServer registry;
    private static Endpoints endpoints;

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoints();
    }

    /**
     * The MiniCluster the end-to-end tests run their jobs on: one TaskManager with two slots,
     * enough for the jobs' parallelism of 2 with slot sharing.
     */
    public static org.apache.flink.test.junit5.MiniClusterExtension miniCluster() {
        return new org.apache.flink.test.junit5.MiniClusterExtension(
                new org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(dev.marquee.jobs.common.Loopback.configuration())
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    public static synchronized Endpoints endpoints() {
        if (endpoints == null) {
            try {
                MarqueeHome home = MarqueeHome.detect();
                Path dir = Files.createTempDirectory("marquee-it-");
                kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
                registry = RegistryServer.start(home, dir.resolve("registry"), 0);
                endpoints = new Endpoints(kafka.bootstrapServers(), registry.url(), null);
                new Provisioner(endpoints, new PrintStream(PrintStream.nullOutputStream()))
                        .provision();
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(
                                        () -> {
                                            registry.close();
                                            kafka.close();
                                        }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return endpoints;
    }
}
