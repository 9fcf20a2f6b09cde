package dev.marquee.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.schema.RightEvent;
import dev.marquee.testing.Platform;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The wire format and schema evolution against a real Confluent-compatible registry: what the jobs
 * write is 0x00 + schema id + Avro, the id resolves through /schemas/ids, an evolved writer is read
 * by an older reader and vice versa, and an incompatible change is refused (409).
 */
@ExtendWith(Platform.class)
class RegistryRoundTripIT {

    private static RegistryConfig config() {
        return RegistryConfig.of(Platform.endpoints().registryUrl());
    }

    private static RightEvent right() {
        return RightEvent.newBuilder()
                .setRightId("r-roundtrip")
                .setContentId("c-1")
                .setTerritory(List.of("JP"))
                .setWindowStart("2028-03-15")
                .setIssuedAt(Instant.parse("2026-11-25T08:00:00Z"))
                .build();
    }

    @Test
    void specificRecordsRoundTripInConfluentWireFormat() throws Exception {
        String subject = "roundtrip.rights-value";
        var serializer =
                RegistryAvroSerializationSchema.forSpecific(
                        RightEvent.class, new ConfluentSchemaCoder.Provider(subject, config()));
        byte[] bytes = serializer.serialize(right());
        assertThat(bytes[0]).isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        SchemaRegistryClient client = new SchemaRegistryClient(config());
        assertThat(new SchemaRegistryClient(config()).schemaById(id))
                .isEqualTo(RightEvent.getClassSchema());
        assertThat(client.subjects()).contains(subject);

        var deserializer =
                new RegistryAvroDeserializationSchema<>(
                        RightEvent.class,
                        null,
                        new ConfluentSchemaCoder.Provider(subject, config()));
        assertThat(deserializer.deserialize(bytes)).isEqualTo(right());
    }

    @Test
    void backwardCompatibleEvolutionIsAcceptedAndReadAcrossVersions() throws Exception {
        String subject = "evolution.test-value";
        Schema v1 =
                SchemaBuilder.record("Evolving")
                        .namespace("dev.marquee.test")
                        .fields()
                        .requiredString("id")
                        .endRecord();
        Schema v2 =
                SchemaBuilder.record("Evolving")
                        .namespace("dev.marquee.test")
                        .fields()
                        .requiredString("id")
                        .name("territory")
                        .type()
                        .stringType()
                        .stringDefault("ZZ")
                        .endRecord();
        SchemaRegistryClient client = new SchemaRegistryClient(config());
        client.setCompatibility(subject, "BACKWARD");
        int id1 = client.register(subject, v1);
        assertThat(client.isCompatible(subject, v2)).isTrue();
        int id2 = client.register(subject, v2);
        assertThat(id2).isNotEqualTo(id1);

        // Old data, new reader: the default fills the new field.
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "x");
        byte[] oldBytes =
                RegistryAvroSerializationSchema.forGeneric(
                                v1, new ConfluentSchemaCoder.Provider(subject, config()))
                        .serialize(old);
        GenericRecord read =
                new RegistryAvroDeserializationSchema<>(
                                GenericRecord.class,
                                v2,
                                new ConfluentSchemaCoder.Provider(subject, config()))
                        .deserialize(oldBytes);
        assertThat(read.get("territory").toString()).isEqualTo("ZZ");
        assertThat(read.get("id").toString()).isEqualTo("x");

        // A required field without a default cannot read old data: refused.
        Schema broken =
                SchemaBuilder.record("Evolving")
                        .namespace("dev.marquee.test")
                        .fields()
                        .requiredString("id")
                        .requiredLong("mandatory")
                        .endRecord();
        assertThat(client.isCompatible(subject, broken)).isFalse();
        assertThatThrownBy(() -> client.register(subject, broken))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.isIncompatible()).isTrue());
    }

    @Test
    void anUnreachableRegistryIsReportedQuickly() {
        SchemaRegistryClient client =
                new SchemaRegistryClient(
                        RegistryConfig.builder("http://127.0.0.1:1/apis/ccompat/v7")
                                .timeout(java.time.Duration.ofSeconds(2))
                                .build());
        assertThatThrownBy(client::subjects)
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.isUnreachable()).isTrue());
    }
}
