package dev.marquee.io;

import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.RegistryException;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.topics.Topic;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Confluent wire-format Avro (byte 0, the 4-byte schema id, Avro binary) into a
 * SpecificRecord, reading with the job's (reader) schema whatever writer schema the record names. A
 * record that cannot be decoded becomes a dead letter with the reason; a registry outage is not the
 * record's fault, so it is thrown (Flink restarts the task and the record is read again) instead of
 * being dead-lettered.
 *
 * <p>One Avro reader is built per writer schema id and kept, with Avro's fast reader ({@link
 * SpecificData#setFastReaderEnabled}, which compiles the writer-to-reader resolution once) on a
 * model of this decoder's own, so nothing else in the JVM changes. flink-avro's
 * RegistryAvroDeserializationSchema resets its reader's schemas for every record, which rules the
 * fast reader out and re-resolves the schemas each time: measured on playback events, 0.85 us a
 * record against 0.43 us here, and decoding is most of what the playback jobs do per event.
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

    private transient IntFunction<Schema> writerSchemas;
    private transient SpecificData model;
    private transient Schema readerSchema;
    private transient Map<Integer, DatumReader<T>> readers;
    private transient BinaryDecoder decoder;

    public RecordDecoder(Class<T> type, Topic topic, RegistryConfig registry, String job) {
        this.type = type;
        this.subject = topic.subject();
        this.registry = registry;
        this.job = job;
    }

    /** Call from the operator's open(). */
    public void open() {
        open(ConfluentSchemaCoder.sharedClient(registry)::schemaById);
    }

    /**
     * Opens with another source of writer schemas by id (tests; the registry client otherwise).
     *
     * @param writerSchemas the schema a wire-format id names; throws {@link RegistryException}
     */
    public void open(IntFunction<Schema> writerSchemas) {
        this.writerSchemas = writerSchemas;
        SpecificData generated = SpecificData.getForClass(type);
        model = new SpecificData(type.getClassLoader());
        generated.getConversions().forEach(model::addLogicalTypeConversion);
        model.setFastReaderEnabled(true);
        readerSchema = model.getSchema(type);
        readers = new HashMap<>();
    }

    /** The subject this decoder's records are registered under ({@code <topic>-value}). */
    public String subject() {
        return subject;
    }

    /**
     * The decoded value, or null after handing {@code deadLetters} the reason it could not be.
     *
     * @throws RegistryException when the registry is unreachable or failing (retry, not the record)
     */
    public T decode(KafkaRecord record, Consumer<DeadLetter> deadLetters) throws RegistryException {
        byte[] value = record.value;
        if (value == null) {
            deadLetters.accept(
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "record has no value (tombstone) on a topic that carries events",
                            job,
                            null));
            return null;
        }
        if (value.length < 5 || value[0] != ConfluentSchemaCoder.MAGIC_BYTE) {
            deadLetters.accept(
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "not a valid "
                                    + type.getSimpleName()
                                    + " in Confluent Avro: "
                                    + (value.length == 0
                                            ? "empty record: no Confluent wire-format header"
                                            : value[0] != ConfluentSchemaCoder.MAGIC_BYTE
                                                    ? "not Confluent wire format: first byte is "
                                                            + value[0]
                                                            + ", expected 0"
                                                    : "the wire-format header is cut short"),
                            job,
                            null));
            return null;
        }
        int id =
                ((value[1] & 0xff) << 24)
                        | ((value[2] & 0xff) << 16)
                        | ((value[3] & 0xff) << 8)
                        | (value[4] & 0xff);
        DatumReader<T> reader;
        try {
            reader = reader(id);
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
        } catch (RuntimeException e) {
            deadLetters.accept(
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "writer schema "
                                    + id
                                    + " cannot be read as "
                                    + type.getSimpleName()
                                    + ": "
                                    + e.getMessage(),
                            job,
                            null));
            return null;
        }
        try {
            decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, decoder);
            return reader.read(null, decoder);
        } catch (Exception e) {
            deadLetters.accept(
                    DeadLetters.of(
                            record,
                            DeadLetterCategory.UNDECODABLE,
                            "not a valid " + type.getSimpleName() + " in Confluent Avro: " + e,
                            job,
                            null));
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> reader(int id) {
        DatumReader<T> reader = readers.get(id);
        if (reader == null) {
            Schema writer = writerSchemas.apply(id);
            reader = (DatumReader<T>) model.createDatumReader(writer, readerSchema);
            readers.put(id, reader);
        }
        return reader;
    }
}
