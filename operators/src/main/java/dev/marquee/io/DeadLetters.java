package dev.marquee.io;

import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * Builds dead letters. A rejected record keeps its original bytes and coordinates so it can be
 * replayed after a fix, plus the reason in one sentence naming the field.
 */
public final class DeadLetters {
    private DeadLetters() {}

    /** The side output every Marquee operator sends rejected records to. */
    public static OutputTag<DeadLetter> tag() {
        return new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));
    }

    public static DeadLetter of(
            KafkaRecord record,
            DeadLetterCategory category,
            String reason,
            String job,
            String payloadJson) {
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic)
                .setPartition(record.partition)
                .setOffset(record.offset)
                .setKey(record.key)
                .setPayload(record.value == null ? null : ByteBuffer.wrap(record.value))
                .setPayloadJson(payloadJson)
                .setReason(reason)
                .setCategory(category)
                .setJob(job)
                .setFailedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }

    /** A decoded record rejected downstream of decoding (invalid, late): keeps it as JSON. */
    public static DeadLetter of(
            String sourceTopic,
            String key,
            SpecificRecord value,
            DeadLetterCategory category,
            String reason,
            String job) {
        return DeadLetter.newBuilder()
                .setSourceTopic(sourceTopic)
                .setKey(key)
                .setPayloadJson(value == null ? null : value.toString())
                .setReason(reason)
                .setCategory(category)
                .setJob(job)
                .setFailedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }
}
