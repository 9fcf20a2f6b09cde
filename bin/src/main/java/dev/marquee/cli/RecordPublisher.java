package dev.marquee.cli;

import dev.marquee.io.AvroJson;
import dev.marquee.topics.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes JSON records as Avro to a topic: keyed as CONTRACT.md says and timestamped with the
 * record's event time, so jobs' per-partition watermarks follow the data. Used by produce, the demo
 * and the tests, so all three write exactly alike.
 */
public final class RecordPublisher implements AutoCloseable {
    private final TopicClients clients;
    private final KafkaProducer<String, byte[]> producer;

    public RecordPublisher(TopicClients clients) {
        this.clients = clients;
        this.producer = clients.producer();
    }

    /** Parses every line first (nothing is sent if one is bad), then sends and awaits the acks. */
    public int publishJsonLines(String topicName, List<String> lines, String sourceName) {
        return publish(topicName, parseJsonLines(topicName, lines, sourceName));
    }

    /**
     * Checks JSON lines against the topic's schema; the error names the line, the field and why.
     * Needs no Kafka, so produce reports bad input even when the stack is down.
     */
    public static List<GenericRecord> parseJsonLines(
            String topicName, List<String> lines, String sourceName) {
        Schema schema = Topic.schemaForName(topicName);
        List<GenericRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(AvroJson.parse(line, schema));
            } catch (AvroJson.MismatchException e) {
                throw new UserError(
                        sourceName
                                + " line "
                                + (i + 1)
                                + " does not fit "
                                + schema.getName()
                                + ": "
                                + e.getMessage());
            }
        }
        if (records.isEmpty()) {
            throw new UserError(sourceName + " has no records");
        }
        return records;
    }

    public int publish(String topicName, List<GenericRecord> records) {
        var serializer = clients.serializer(topicName, Topic.schemaForName(topicName));
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (GenericRecord record : records) {
            acks.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topicName,
                                    null,
                                    RecordKeys.eventTimeOf(record),
                                    RecordKeys.keyOf(topicName, record),
                                    serializer.serialize(record))));
        }
        return await(topicName, acks);
    }

    /**
     * Sends bytes as they are, stamped with the given event time: for showing what happens to a
     * record that is not Avro (its timestamp moves event time like any other record's).
     */
    public void publishRaw(
            String topicName, String key, byte[] value, java.time.Instant timestamp) {
        await(
                topicName,
                List.of(
                        producer.send(
                                new ProducerRecord<>(
                                        topicName, null, timestamp.toEpochMilli(), key, value))));
    }

    private static int await(String topicName, List<Future<RecordMetadata>> acks) {
        int sent = 0;
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(20, TimeUnit.SECONDS);
                sent++;
            } catch (ExecutionException e) {
                throw new UserError(
                        "Kafka refused a record on "
                                + topicName
                                + ": "
                                + e.getCause().getMessage());
            } catch (TimeoutException e) {
                throw new UserError(
                        "Kafka did not acknowledge records on " + topicName + " within 20 s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted");
            }
        }
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
