package dev.marquee.playback;

import dev.marquee.cli.TopicClients;
import dev.marquee.topics.Topic;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends SpecificRecords (player events, availability versions) in Confluent Avro with the record
 * timestamp set to their event time, which is what the playback jobs' per-partition watermarks
 * follow. Used by the playback demo stage, bench entries and end-to-end tests. Sends are
 * asynchronous; {@link #flush()} and {@link #close()} wait and fail if Kafka refused any.
 */
public final class EventTimePublisher implements AutoCloseable {
    private final TopicClients clients;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<Topic, RegistryAvroSerializationSchema<SpecificRecord>> serializers =
            new HashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sent;

    public EventTimePublisher(TopicClients clients) {
        this.clients = clients;
        this.producer = clients.producer();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T extends SpecificRecord> void send(Topic topic, String key, T value, Instant at) {
        RegistryAvroSerializationSchema<SpecificRecord> serializer =
                serializers.computeIfAbsent(
                        topic,
                        t ->
                                (RegistryAvroSerializationSchema)
                                        clients.serializer(t, value.getClass()));
        sendRaw(topic.topicName(), key, serializer.serialize(value), at);
    }

    /** Bytes as they are (a record that is not Avro, to show the dead-letter path). */
    public void sendRaw(String topicName, String key, byte[] value, Instant at) {
        Exception first = failure.get();
        if (first != null) {
            throw new IllegalStateException("Kafka refused a record: " + first.getMessage(), first);
        }
        producer.send(
                new ProducerRecord<>(topicName, null, at.toEpochMilli(), key, value),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
        sent++;
    }

    public long sent() {
        return sent;
    }

    public void flush() {
        producer.flush();
        Exception first = failure.get();
        if (first != null) {
            throw new IllegalStateException("Kafka refused a record: " + first.getMessage(), first);
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close();
        }
    }
}
