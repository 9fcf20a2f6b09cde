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
import java.util.Set;
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

    /** {@link #keepingOnly}: the enum field records are kept by, and its wanted symbols. */
    private final String keepField;

    private final String[] keepSymbols;

    private transient IntFunction<Schema> writerSchemas;
    private transient SpecificData model;
    private transient Schema readerSchema;
    private transient Map<Integer, DatumReader<T>> readers;
    private transient BinaryDecoder decoder;

    /** Per writer schema id: how to peek at {@link #keepField}, or null when it cannot be. */
    private transient Map<Integer, EnumPeek.Plan> plans;

    private transient Set<String> wanted;

    public RecordDecoder(Class<T> type, Topic topic, RegistryConfig registry, String job) {
        this(type, topic.subject(), registry, job, null, null);
    }

    private RecordDecoder(
            Class<T> type,
            String subject,
            RegistryConfig registry,
            String job,
            String keepField,
            String[] keepSymbols) {
        this.type = type;
        this.subject = subject;
        this.registry = registry;
        this.job = job;
        this.keepField = keepField;
        this.keepSymbols = keepSymbols;
    }

    /**
     * This decoder, passing on only records whose enum field {@code field} is one of {@code
     * symbols}. The others are recognised by reading that one field ({@link EnumPeek}) and are not
     * decoded at all: for a job that wants one event in several, decoding the rest was most of its
     * work. A record the peek cannot read is decoded in full, so a broken record is still a dead
     * letter with its reason, whatever its kind.
     */
    public RecordDecoder<T> keepingOnly(String field, Set<String> symbols) {
        return new RecordDecoder<>(
                type, subject, registry, job, field, symbols.toArray(String[]::new));
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
        plans = new HashMap<>();
        wanted = keepSymbols == null ? null : Set.of(keepSymbols);
        if (keepField != null
                && (readerSchema.getField(keepField) == null
                        || readerSchema.getField(keepField).schema().getType()
                                != Schema.Type.ENUM)) {
            throw new IllegalArgumentException(
                    type.getSimpleName()
                            + " has no enum field "
                            + keepField
                            + " to keep records by");
        }
    }

    /** The subject this decoder's records are registered under ({@code <topic>-value}). */
    public String subject() {
        return subject;
    }

    /**
     * The decoded value; or null, after handing {@code deadLetters} the reason it could not be
     * decoded, or (with {@link #keepingOnly}) because it is not wanted, which is no dead letter.
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
        Boolean peeked = keepField == null ? Boolean.TRUE : peek(id, value);
        if (peeked == Boolean.FALSE) {
            return null;
        }
        try {
            decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, decoder);
            T decoded = reader.read(null, decoder);
            if (peeked == null && !wanted.contains(String.valueOf(decoded.get(keepPosition())))) {
                return null;
            }
            return decoded;
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

    /**
     * Whether a record of writer schema {@code id} is wanted, read off its bytes; null when that
     * cannot be told without decoding it (no plan for the writer schema, or bytes the peek cannot
     * read: the full decode then says what is wrong with them).
     */
    private Boolean peek(int id, byte[] value) {
        EnumPeek.Plan plan;
        if (plans.containsKey(id)) {
            plan = plans.get(id);
        } else {
            plan = EnumPeek.plan(writerSchemas.apply(id), readerSchema, keepField, wanted);
            plans.put(id, plan);
        }
        if (plan == null) {
            return null;
        }
        try {
            decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, decoder);
            return plan.wanted(decoder);
        } catch (Exception unreadable) {
            return null;
        }
    }

    private int keepPosition() {
        return readerSchema.getField(keepField).pos();
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
