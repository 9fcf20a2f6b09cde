package dev.marquee.cli;

import dev.marquee.io.AvroJson;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code consume TOPIC}: Avro off the topic, one JSON object per line on stdout. Reads only
 * committed records (the jobs write in transactions). Without --from-beginning it follows new
 * records; --max and --idle-timeout make it stop for scripts.
 */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description = "Avro off the topic, JSON lines out (read_committed).")
public final class ConsumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOPIC")
    String topicName;

    @Option(
            names = "--from-beginning",
            description = "Start at the earliest offset instead of the end")
    boolean fromBeginning;

    @Option(names = "--max", description = "Stop after N records")
    Integer max;

    @Option(
            names = "--idle-timeout",
            description =
                    "Stop after this many seconds without a record (default: never; 10 with --from-beginning and --max unset)")
    Integer idleSeconds;

    @Option(
            names = "--with-metadata",
            description = "Wrap each value as {key, partition, offset, timestamp, value}")
    boolean withMetadata;

    @Mixin ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        TopicClients.requireKnown(topicName);
        Schema schema = Topic.schemaForName(topicName);
        TopicClients clients = new TopicClients(client.endpoints());
        clients.requireTopicExists(topicName);
        clients.requireRegistry();
        var deserializer = clients.deserializer(topicName, schema);
        Integer idle =
                idleSeconds != null ? idleSeconds : (fromBeginning && max == null ? 10 : null);
        int seen = 0;
        int undecodable = 0;
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(null)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topicName, Duration.ofSeconds(8)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long lastRecord = System.nanoTime();
            while (max == null || seen < max) {
                var batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty()) {
                    if (idle != null && System.nanoTime() - lastRecord > idle * 1_000_000_000L) {
                        break;
                    }
                    continue;
                }
                lastRecord = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : batch) {
                    if (max != null && seen >= max) {
                        break;
                    }
                    seen++;
                    String json;
                    try {
                        GenericRecord value = deserializer.deserialize(record.value());
                        json = value == null ? "null" : AvroJson.toJsonString(value);
                    } catch (Exception e) {
                        undecodable++;
                        System.err.printf(
                                "record %s-%d@%d is not Confluent Avro for %s: %s%n",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                topicName,
                                e.getMessage());
                        continue;
                    }
                    if (withMetadata) {
                        json =
                                String.format(
                                        "{\"key\":%s,\"partition\":%d,\"offset\":%d,\"timestamp\":%d,\"value\":%s}",
                                        record.key() == null
                                                ? "null"
                                                : new com.fasterxml.jackson.databind.ObjectMapper()
                                                        .writeValueAsString(record.key()),
                                        record.partition(),
                                        record.offset(),
                                        record.timestamp(),
                                        json);
                    }
                    System.out.println(json);
                }
                System.out.flush();
            }
        }
        return undecodable == 0 ? 0 : 1;
    }
}
