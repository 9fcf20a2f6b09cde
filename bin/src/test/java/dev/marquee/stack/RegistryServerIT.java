package dev.marquee.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.RegistryException;
import dev.marquee.registry.SchemaRegistryClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry the stack, the demo and the integration tests run: a real Apicurio process that
 * enforces BACKWARD compatibility like Confluent (HTTP 409 for an incompatible schema) and keeps
 * schemas and their ids across a restart, because records in Kafka carry those ids.
 */
class RegistryServerIT {
    private static final String SUBJECT = "registry-it.titles-value";

    private static final Schema V1 =
            SchemaBuilder.record("Title")
                    .namespace("dev.marquee.it")
                    .fields()
                    .requiredString("contentId")
                    .endRecord();

    /** Adds a field with a default: new readers can read old records, so BACKWARD allows it. */
    private static final Schema V2 =
            SchemaBuilder.record("Title")
                    .namespace("dev.marquee.it")
                    .fields()
                    .requiredString("contentId")
                    .name("year")
                    .type()
                    .intType()
                    .intDefault(0)
                    .endRecord();

    /** Adds a field without a default: old records cannot be read, so BACKWARD refuses it. */
    private static final Schema INCOMPATIBLE =
            SchemaBuilder.record("Title")
                    .namespace("dev.marquee.it")
                    .fields()
                    .requiredString("contentId")
                    .name("year")
                    .type()
                    .intType()
                    .intDefault(0)
                    .requiredLong("runtimeSeconds")
                    .endRecord();

    @TempDir Path dataDir;

    @Test
    void refusesIncompatibleSchemasAndKeepsIdsAcrossARestart() {
        MarqueeHome home = MarqueeHome.detect();
        int v1Id;
        int v2Id;
        long firstPid;
        try (RegistryServer registry = RegistryServer.start(home, dataDir, 0)) {
            firstPid = registry.pid();
            assertThat(registry.url()).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
            assertOnlyLoopback(registry.pid());

            SchemaRegistryClient client =
                    new SchemaRegistryClient(RegistryConfig.of(registry.url()));
            v1Id = client.register(SUBJECT, V1);
            v2Id = client.register(SUBJECT, V2);
            assertThat(v2Id).isNotEqualTo(v1Id);

            // No per-subject rule was set: the refusal comes from the global BACKWARD rule.
            assertThatThrownBy(() -> client.register(SUBJECT, INCOMPATIBLE))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            e -> assertThat(e.isIncompatible()).as(e.getMessage()).isTrue());
            assertThat(client.isCompatible(SUBJECT, INCOMPATIBLE)).isFalse();
        }
        assertThat(ProcessTable.isAlive(firstPid)).as("registry stopped by close()").isFalse();
        assertThat(dataDir.resolve("registry.mv.db")).exists();

        try (RegistryServer registry = RegistryServer.start(home, dataDir, 0)) {
            SchemaRegistryClient fresh =
                    new SchemaRegistryClient(RegistryConfig.of(registry.url()));
            assertThat(fresh.subjects()).contains(SUBJECT);
            assertThat(fresh.schemaById(v1Id)).isEqualTo(V1);
            assertThat(fresh.schemaById(v2Id)).isEqualTo(V2);
            assertThat(fresh.latest(SUBJECT)).isEqualTo(V2);
            assertThat(fresh.lookup(SUBJECT, V1)).isEqualTo(v1Id);
            assertThat(fresh.register(SUBJECT, V2)).as("same schema, same id").isEqualTo(v2Id);
            assertThatThrownBy(() -> fresh.register(SUBJECT, INCOMPATIBLE))
                    .isInstanceOfSatisfying(
                            RegistryException.class, e -> assertThat(e.isIncompatible()).isTrue());
        }
    }

    @Test
    void logsPlainTextToAFileInTheDataDir() throws Exception {
        try (RegistryServer registry = RegistryServer.start(MarqueeHome.detect(), dataDir, 0)) {
            assertThat(registry.startupMillis()).isPositive();
        }
        String log = Files.readString(dataDir.resolve("registry.log"));
        assertThat(log).contains("Listening on: http://127.0.0.1:").doesNotStartWith("{");
    }

    static void assertOnlyLoopback(long pid) {
        assertThat(ProcessTable.listeningAddresses(pid))
                .isNotEmpty()
                .allSatisfy(
                        (InetSocketAddress a) ->
                                assertThat(a.getAddress().isLoopbackAddress())
                                        .as("pid %d listens on %s", pid, a)
                                        .isTrue());
    }
}
