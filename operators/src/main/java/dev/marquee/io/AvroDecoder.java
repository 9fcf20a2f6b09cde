package dev.marquee.io;

import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.DeadLetter;
import dev.marquee.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes Confluent wire-format Avro into a SpecificRecord ({@link RecordDecoder}) as an operator
 * of its own: records that cannot be decoded go to the dead-letter side output with the reason; a
 * registry outage fails the task (Flink restarts it and the record is read again).
 */
public class AvroDecoder<T extends SpecificRecord> extends ProcessFunction<KafkaRecord, T> {
    private static final long serialVersionUID = 1L;

    private final RecordDecoder<T> decoder;
    private final OutputTag<DeadLetter> deadLetters;

    public AvroDecoder(Class<T> type, Topic topic, RegistryConfig registry, String job) {
        this(new RecordDecoder<>(type, topic, registry, job));
    }

    /**
     * An operator around a configured decoder: one that {@link RecordDecoder#keepingOnly keeps only
     * some records} passes on just those, and the others are never decoded, nor deep-copied into a
     * chained filter.
     */
    public AvroDecoder(RecordDecoder<T> decoder) {
        this.decoder = decoder;
        this.deadLetters = DeadLetters.tag();
    }

    @Override
    public void open(OpenContext openContext) {
        decoder.open();
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<T> out) throws Exception {
        T value = decoder.decode(record, dead -> ctx.output(deadLetters, dead));
        if (value != null) {
            out.collect(value);
        }
    }
}
