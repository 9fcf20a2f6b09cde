package dev.marquee.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.TopicClients;
import dev.marquee.io.KafkaRecord;
import dev.marquee.io.RecordDecoder;
import dev.marquee.topics.Topic;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link BenchEntry} runs on: the bench's embedded broker and registry (topics created,
 * schemas registered), a scratch folder, where to print progress, and the size knob.
 *
 * @param scale 1.0 for the documented sizes; {@code bench --scale 0.1} for a quick look
 * @param sustained wall-clock length of a sustained live phase ({@code --sustained-minutes})
 * @param checkpointInterval of the playback jobs measured ({@code --checkpoint-interval})
 */
public record BenchContext(
        MarqueeHome home,
        Path dir,
        Endpoints endpoints,
        TopicClients clients,
        PrintStream log,
        ObjectMapper json,
        double scale,
        Duration sustained,
        Duration checkpointInterval) {

    /** A size scaled by {@link #scale}, never below one. */
    public int scaled(int documented) {
        return (int) Math.max(1, Math.round(documented * scale));
    }

    /**
     * The raw baseline: one plain Kafka consumer reading {@code count} records of a topic from the
     * beginning and decoding each value with the jobs' decoder ({@link RecordDecoder}, so a job is
     * compared with the same decoding it does). Returns records a second from the first record
     * polled (the first batch not counted) to the last one decoded, as the jobs' steady rates are
     * read (the consumer's start-up, its first fetch request and its close are not reading); the
     * better of two reads: the first also warms the JIT and the page cache, and a job is compared
     * with the baseline at its best.
     */
    public <T extends SpecificRecord> double baseline(Topic topic, Class<T> type, long count)
            throws Exception {
        return Math.max(readAndDecode(topic, type, count), readAndDecode(topic, type, count));
    }

    private <T extends SpecificRecord> double readAndDecode(Topic topic, Class<T> type, long count)
            throws Exception {
        RecordDecoder<T> decoder =
                new RecordDecoder<>(type, topic, clients.registryConfig(), "bench-baseline");
        decoder.open();
        long start = 0;
        long firstBatch = 0;
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(null)) {
            var partitions =
                    consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(8)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (read < count) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (var r : records) {
                    KafkaRecord record =
                            new KafkaRecord(
                                    r.topic(),
                                    r.partition(),
                                    r.offset(),
                                    r.timestamp(),
                                    r.key(),
                                    r.value());
                    if (decoder.decode(record, dead -> {}) != null) {
                        read++;
                    }
                }
                if (start == 0 && read > 0) {
                    // the clock starts once the first batch is decoded, which is not counted
                    start = System.nanoTime();
                    firstBatch = read;
                }
            }
            long elapsed = System.nanoTime() - start;
            return (read - firstBatch) / (elapsed / 1e9);
        }
    }
}
