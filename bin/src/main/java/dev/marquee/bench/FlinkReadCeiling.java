package dev.marquee.bench;

import dev.marquee.io.KafkaRecord;
import dev.marquee.io.RecordDecoder;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.slo.SloTopology;
import dev.marquee.local.LocalFlink;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.stack.Ports;
import dev.marquee.time.EventTime;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * What any Flink job could reach over a topic on this machine: the jobs' Kafka source (the same
 * settings, read_committed, per-partition watermarks) at the jobs' parallelism, decoding every
 * record with the jobs' decoder and doing nothing else. A playback job's rate beside this ceiling
 * says what the job's own work costs; the ceiling beside the one-consumer baseline says what
 * running in Flink costs (source threads, hand-over to the task, checkpoints, the broker serving
 * two readers), which no job can win back.
 */
final class FlinkReadCeiling {
    /** Decoded records per run, counted in this JVM (the MiniCluster runs in it). */
    private static final Map<String, LongAdder> DECODED = new ConcurrentHashMap<>();

    private FlinkReadCeiling() {}

    /** Records a second while the ceiling job decodes {@code count} records of {@code topic}. */
    static <T extends SpecificRecord> double measure(
            BenchContext context, Topic topic, Class<T> type, long count, String label)
            throws Exception {
        return measure(context, topic, type, count, label, false);
    }

    /**
     * The same, with the raw records shuffled by their Kafka key before they are decoded when
     * {@code keyed}: the one exchange a per-session job cannot do without (playback-slo's), so its
     * rate beside this says what the job's per-session work costs apart from the shuffle.
     */
    static <T extends SpecificRecord> double measure(
            BenchContext context,
            Topic topic,
            Class<T> type,
            long count,
            String label,
            boolean keyed)
            throws Exception {
        LongAdder decoded = new LongAdder();
        DECODED.put(label, decoded);
        StreamExecutionEnvironment env =
                LocalFlink.withWebUi(Ports.freePort(), new Configuration());
        JobSettings settings =
                JobSettings.local(
                        context.endpoints().bootstrapServers(),
                        context.endpoints().registryUrl(),
                        Duration.ofSeconds(1),
                        label);
        settings.configure(env);
        DataStream<KafkaRecord> source =
                env.fromSource(
                                settings.kafka()
                                        .source(
                                                topic,
                                                settings.unique("marquee-bench-ceiling"),
                                                OffsetsInitializer.earliest()),
                                EventTime.<KafkaRecord>bounded(
                                        Duration.ofSeconds(30),
                                        Duration.ofMinutes(1),
                                        (record, previous) -> record.timestamp),
                                topic.topicName() + " (ceiling)")
                        .uid("ceiling-source");
        DataStream<KafkaRecord> records = keyed ? source.keyBy(SloTopology::recordKey) : source;
        records.process(new DecodeAndCount<>(type, topic, settings.registry(), label))
                .uid("ceiling-decode")
                .name("decode and count")
                .sinkTo(new DiscardingSink<>())
                .uid("ceiling-sink")
                .name("discard");
        JobClient job = env.executeAsync(label);
        try (JobProgress progress = new JobProgress(decoded::sum, Duration.ofMillis(100))) {
            long giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (decoded.sum() < count) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException(
                            "the Flink read ceiling did not decode " + count + " records in 5 min");
                }
                Thread.sleep(100);
            }
            Thread.sleep(300);
            return progress.steadyRate(count);
        } finally {
            job.cancel().get();
            DECODED.remove(label);
        }
    }

    /** Decodes each record and counts it; emits nothing. */
    private static final class DecodeAndCount<T extends SpecificRecord>
            extends ProcessFunction<KafkaRecord, Void> {
        private static final long serialVersionUID = 1L;
        private final RecordDecoder<T> decoder;
        private final String label;
        private transient LongAdder decoded;

        DecodeAndCount(Class<T> type, Topic topic, RegistryConfig registry, String label) {
            this.decoder = new RecordDecoder<>(type, topic, registry, label);
            this.label = label;
        }

        @Override
        public void open(OpenContext openContext) {
            decoder.open();
            decoded = DECODED.get(label);
        }

        @Override
        public void processElement(KafkaRecord record, Context ctx, Collector<Void> out)
                throws Exception {
            if (decoder.decode(record, dead -> {}) != null) {
                decoded.increment();
            }
        }
    }
}
