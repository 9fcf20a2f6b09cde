package dev.marquee.io;

import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.DeadLetter;
import dev.marquee.topics.Topic;
import java.io.Serializable;
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

    /** Which decoded records a job wants at all; serializable. */
    @FunctionalInterface
    public interface Keep<T> extends Serializable {
        boolean test(T value);
    }

    private final RecordDecoder<T> decoder;
    private final OutputTag<DeadLetter> deadLetters;
    private final Keep<T> keep;

    public AvroDecoder(Class<T> type, Topic topic, RegistryConfig registry, String job) {
        this(type, topic, registry, job, value -> true);
    }

    /**
     * A decoder that passes on only the records {@code keep} accepts. Filtering here rather than in
     * a chained filter spares every other record the deep copy Flink makes between chained
     * operators (object reuse is off): for a job that wants one event in seven, that copy cost more
     * than the decoding.
     */
    public AvroDecoder(
            Class<T> type, Topic topic, RegistryConfig registry, String job, Keep<T> keep) {
        this.decoder = new RecordDecoder<>(type, topic, registry, job);
        this.deadLetters = DeadLetters.tag();
        this.keep = keep;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder.open();
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<T> out) throws Exception {
        T value = decoder.decode(record, dead -> ctx.output(deadLetters, dead));
        if (value != null && keep.test(value)) {
            out.collect(value);
        }
    }
}
