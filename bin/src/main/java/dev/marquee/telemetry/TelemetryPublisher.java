package dev.marquee.telemetry;

import dev.marquee.cli.TopicClients;
import dev.marquee.cli.UserError;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.registry.RegistryException;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.topics.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Streams playback events to {@code playback.telemetry} (key sessionId, record timestamp = event
 * time, so the SLO job's per-partition watermarks follow the players' clocks) and refused log lines
 * to {@code playback.telemetry.dlq} with their reason. Sends are asynchronous; {@link #close()}
 * waits for every acknowledgement and fails with one sentence if Kafka refused any.
 */
final class TelemetryPublisher implements AutoCloseable {
    static final String TOPIC = Topic.PLAYBACK_TELEMETRY.topicName();
    static final String DLQ = Topic.PLAYBACK_TELEMETRY.dlqName();

    private final KafkaProducer<String, byte[]> producer;
    private final RegistryAvroSerializationSchema<PlaybackEvent> events;
    private final RegistryAvroSerializationSchema<DeadLetter> deadLetters;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final String job;
    private long sent;
    private long deadLettered;

    TelemetryPublisher(TopicClients clients, String job) {
        clients.requireTopicExists(TOPIC);
        clients.requireTopicExists(DLQ);
        clients.requireRegistry();
        this.job = job;
        this.producer = clients.producer();
        this.events =
                RegistryAvroSerializationSchema.forSpecific(
                        PlaybackEvent.class,
                        new ConfluentSchemaCoder.Provider(
                                Topic.subjectOf(TOPIC), clients.registryConfig()));
        this.deadLetters =
                RegistryAvroSerializationSchema.forSpecific(
                        DeadLetter.class,
                        new ConfluentSchemaCoder.Provider(
                                Topic.subjectOf(DLQ), clients.registryConfig()));
    }

    void publish(PlaybackEvent event) {
        send(
                new ProducerRecord<>(
                        TOPIC,
                        null,
                        event.getAt().toEpochMilli(),
                        event.getSessionId(),
                        serialize(events, event, TOPIC)));
        sent++;
    }

    /** A line that gave no event: kept byte for byte with the reason, keyed by its sid if any. */
    void deadLetter(String line, String sessionId, String reason) {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic(TOPIC)
                        .setKey(sessionId)
                        .setPayload(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)))
                        .setReason(reason)
                        .setCategory(DeadLetterCategory.INVALID)
                        .setJob(job)
                        .setFailedAt(Instant.now())
                        .build();
        send(new ProducerRecord<>(DLQ, sessionId, serialize(deadLetters, letter, DLQ)));
        deadLettered++;
    }

    long sent() {
        return sent;
    }

    long deadLettered() {
        return deadLettered;
    }

    private <T> byte[] serialize(
            RegistryAvroSerializationSchema<T> serializer, T value, String topic) {
        try {
            return serializer.serialize(value);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof RegistryException)) {
                cause = cause.getCause();
            }
            throw new UserError(
                    "the registry refused the schema for " + topic + ": " + cause.getMessage());
        }
    }

    private void send(ProducerRecord<String, byte[]> record) {
        Exception first = failure.get();
        if (first != null) {
            throw new UserError("Kafka refused a record: " + first.getMessage());
        }
        producer.send(
                record,
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    @Override
    public void close() {
        try {
            producer.flush();
        } finally {
            producer.close();
        }
        Exception first = failure.get();
        if (first != null) {
            throw new UserError("Kafka refused a record: " + first.getMessage());
        }
    }
}
