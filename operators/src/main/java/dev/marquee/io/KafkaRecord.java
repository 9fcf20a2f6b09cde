package dev.marquee.io;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A Kafka record exactly as read, before decoding: jobs read bytes and decode in an operator so
 * that a record that cannot be decoded becomes a dead letter instead of failing the source (and
 * with it the whole job). Serialized by {@link KafkaRecordSerializer} (no reflection, no Kryo).
 */
@TypeInfo(KafkaRecordTypeInfo.class)
public class KafkaRecord {
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    public String key;
    public byte[] value;

    public KafkaRecord() {}

    public KafkaRecord(
            String topic, int partition, long offset, long timestamp, String key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaRecord r
                && partition == r.partition
                && offset == r.offset
                && timestamp == r.timestamp
                && Objects.equals(topic, r.topic)
                && Objects.equals(key, r.key)
                && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " key=" + key;
    }
}
