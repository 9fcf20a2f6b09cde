package dev.marquee.bench;

import dev.marquee.cli.TopicClients;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows a topic from its current end (read_committed, as any downstream reader would) on its own
 * thread and notes when each record became visible: the far end of an end-to-end latency.
 */
final class TopicWatcher<T extends SpecificRecord> implements AutoCloseable {
    /** A record and the wall-clock instant (System.nanoTime) it was first seen. */
    record Seen<T>(T value, long seenNanos) {}

    private final List<Seen<T>> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    TopicWatcher(TopicClients clients, Topic topic, Class<T> type) throws Exception {
        var deserializer =
                new RegistryAvroDeserializationSchema<>(
                        type,
                        null,
                        new ConfluentSchemaCoder.Provider(
                                topic.subject(), clients.registryConfig()));
        KafkaConsumer<String, byte[]> consumer = clients.consumer(null);
        var partitions =
                consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(8)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread =
                new Thread(
                        () -> {
                            try (consumer) {
                                while (running) {
                                    for (var r : consumer.poll(Duration.ofMillis(50))) {
                                        long now = System.nanoTime();
                                        try {
                                            T value = deserializer.deserialize(r.value());
                                            synchronized (seen) {
                                                seen.add(new Seen<>(value, now));
                                            }
                                        } catch (Exception e) {
                                            // not ours to judge here; the latency ignores it
                                        }
                                    }
                                }
                            }
                        },
                        "watch-" + topic.topicName());
        thread.setDaemon(true);
        thread.start();
    }

    List<Seen<T>> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
