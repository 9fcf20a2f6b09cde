package dev.marquee.io;

import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.RegistryException;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes Confluent wire-format Avro into a SpecificRecord, reading with the job's (reader) schema
 * whatever writer schema the record names. Records that cannot be decoded go to the dead-letter
 * side output with the reason; a registry outage is not the record's fault, so it fails the task
 * (Flink restarts it and the record is read again) instead of being dead-lettered.
 */
public class AvroDecoder<T extends SpecificRecord> extends ProcessFunction<KafkaRecord, T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String subject;
    private final RegistryConfig registry;
    private final String job;
    private final OutputTag<DeadLetter> deadLetters;
    private transient DeserializationSchema<T> deserializer;

    public AvroDecoder(Class<T> type, Topic topic, RegistryConfig registry, String job) {
        this.type = type;
        this.subject = topic.subject();
        this.registry = registry;
        this.job = job;
        this.deadLetters = DeadLetters.tag();
    }

    @Override
    public void open(OpenContext openContext) {
        deserializer =
                new RegistryAvroDeserializationSchema<>(
                        type, null, new ConfluentSchemaCoder.Provider(subject, registry));
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<T> out) throws Exception {
        if (record.value == null) {
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "record has no value (tombstone) on a topic that carries events",
                            job,
                            null));
            return;
        }
        T value;
        try {
            value = deserializer.deserialize(record.value);
        } catch (RegistryException e) {
            if (e.isUnreachable() || e.status() >= 500) {
                throw e; // outage: retry via restart, the record is not at fault
            }
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "writer schema unknown to the registry: " + e.getMessage(),
                            job,
                            null));
            return;
        } catch (Exception e) {
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "not a valid "
                                    + type.getSimpleName()
                                    + " in Confluent Avro: "
                                    + e.getMessage(),
                            job,
                            null));
            return;
        }
        out.collect(value);
    }
}
