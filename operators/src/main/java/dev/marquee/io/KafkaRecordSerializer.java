package dev.marquee.io;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link KafkaRecord} field by field. Raw records cross a shuffle in every job that keys
 * them before decoding (one per player event in playback-slo), and Flink's POJO serializer reads
 * and writes each field through reflection, which the profile showed as a tenth of that job's work.
 * Format version 1: topic, partition, offset, timestamp, key (nullable), value (length, -1 for a
 * tombstone).
 */
public final class KafkaRecordSerializer extends TypeSerializerSingleton<KafkaRecord> {
    private static final long serialVersionUID = 1L;

    public static final KafkaRecordSerializer INSTANCE = new KafkaRecordSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public KafkaRecord createInstance() {
        return new KafkaRecord();
    }

    @Override
    public KafkaRecord copy(KafkaRecord from) {
        return new KafkaRecord(
                from.topic,
                from.partition,
                from.offset,
                from.timestamp,
                from.key,
                from.value == null ? null : from.value.clone());
    }

    @Override
    public KafkaRecord copy(KafkaRecord from, KafkaRecord reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KafkaRecord r, DataOutputView out) throws IOException {
        StringValue.writeString(r.topic, out);
        out.writeInt(r.partition);
        out.writeLong(r.offset);
        out.writeLong(r.timestamp);
        StringValue.writeString(r.key, out);
        if (r.value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(r.value.length);
            out.write(r.value);
        }
    }

    @Override
    public KafkaRecord deserialize(DataInputView in) throws IOException {
        KafkaRecord r = new KafkaRecord();
        r.topic = StringValue.readString(in);
        r.partition = in.readInt();
        r.offset = in.readLong();
        r.timestamp = in.readLong();
        r.key = StringValue.readString(in);
        int length = in.readInt();
        if (length >= 0) {
            r.value = new byte[length];
            in.readFully(r.value);
        }
        return r;
    }

    @Override
    public KafkaRecord deserialize(KafkaRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<KafkaRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from a checkpoint. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KafkaRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
