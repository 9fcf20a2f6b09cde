package dev.marquee.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.TopicClients;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.topics.Topic;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link BenchEntry} runs on: the bench's embedded broker and registry (topics created,
 * schemas registered), a scratch folder, where to print progress, and the size knob.
 *
 * @param scale 1.0 for the documented sizes; {@code bench --scale 0.1} for a quick look
 */
public record BenchContext(
        MarqueeHome home,
        Path dir,
        Endpoints endpoints,
        TopicClients clients,
        PrintStream log,
        ObjectMapper json,
        double scale) {

    /** A size scaled by {@link #scale}, never below one. */
    public int scaled(int documented) {
        return (int) Math.max(1, Math.round(documented * scale));
    }

    /**
     * The raw baseline: one plain Kafka consumer reading {@code count} records of a topic from the
     * beginning and decoding each value with the registry's Avro coder. Returns records a second,
     * the better of two reads: the first also warms the JIT and the page cache, and a job is
     * compared with the baseline at its best, not with a cold start.
     */
    public <T extends SpecificRecord> double baseline(Topic topic, Class<T> type, long count)
            throws Exception {
        return Math.max(readAndDecode(topic, type, count), readAndDecode(topic, type, count));
    }

    private <T extends SpecificRecord> double readAndDecode(Topic topic, Class<T> type, long count)
            throws Exception {
        var deserializer =
                new RegistryAvroDeserializationSchema<>(
                        type,
                        null,
                        new ConfluentSchemaCoder.Provider(
                                topic.subject(), clients.registryConfig()));
        long start = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(null)) {
            var partitions =
                    consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(8)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (read < count) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (deserializer.deserialize(record.value()) != null) {
                        read++;
                    }
                }
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
