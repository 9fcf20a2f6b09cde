package dev.marquee.io;

import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.RegistryException;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.topics.Topic;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;

/**
 * Decodes Confluent wire-format Avro into a SpecificRecord, reading with the job's (reader) schema
 * whatever writer schema the record names. A record that cannot be decoded becomes a dead letter
 * with the reason; a registry outage is not the record's fault, so it is thrown (Flink restarts the
 * task and the record is read again) instead of being dead-lettered.
 *
 * <p>The operator-free core of {@link AvroDecoder}, for operators that decode where they are (after
 * a shuffle of raw bytes, so records cross the network once, as bytes, and are decoded once).
 */
public final class RecordDecoder<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String subject;
    private final RegistryConfig registry;
    private final String job;
    private transient DeserializationSchema<T> deserializer;

    public RecordDecoder(Class<T> type, Topic topic, RegistryConfig registry, String job) {
        this.type = type;
        this.subject = topic.subject();
        this.registry = registry;
        this.job = job;
    }

    /** Call from the operator's open(). */
    public void open() {
        deserializer =
                new RegistryAvroDeserializationSchema<>(
                        type, null, new ConfluentSchemaCoder.Provider(subject, registry));
    }

    /**
     * The decoded value, or null after handing {@code deadLetters} the reason it could not be.
     *
     * @throws RegistryException when the registry is unreachable or failing (retry, not the record)
     */
    public T decode(KafkaRecord record, Consumer<DeadLetter> deadLetters) throws RegistryException {
        if (record.value == null) {
            deadLetters.accept(
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "record has no value (tombstone) on a topic that carries events",
                            job,
                            null));
            return null;
        }
        try {
            return deserializer.deserialize(record.value);
        } catch (RegistryException e) {
            if (e.isUnreachable() || e.status() >= 500) {
                throw e;
            }
            deadLetters.accept(
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "writer schema unknown to the registry: " + e.getMessage(),
                            job,
                            null));
            return null;
        } catch (Exception e) {
            deadLetters.accept(
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "not a valid "
                                    + type.getSimpleName()
                                    + " in Confluent Avro: "
                                    + e.getMessage(),
                            job,
                            null));
            return null;
        }
    }
}
