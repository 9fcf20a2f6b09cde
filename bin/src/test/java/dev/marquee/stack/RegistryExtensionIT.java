package dev.marquee.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared registry extension as other integration tests use it. */
class RegistryExtensionIT {
    @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

    @Test
    void startsOneRegistryPerJvmOnALoopbackPort() {
        assertThat(REGISTRY.url()).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
        assertThat(RegistryExtension.sharedUrl()).isEqualTo(REGISTRY.url());
        assertThat(RegistryExtension.server()).isSameAs(RegistryExtension.server());
        assertThat(RegistryExtension.server().isAlive()).isTrue();

        Schema schema =
                SchemaBuilder.record("Ping")
                        .namespace("dev.marquee.it")
                        .fields()
                        .requiredString("id")
                        .endRecord();
        SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(REGISTRY.url()));
        int id = client.register("registry-extension-it-value", schema);
        assertThat(client.schemaById(id)).isEqualTo(schema);
    }
}
