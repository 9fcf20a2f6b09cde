package dev.marquee.jobs.slo;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes an {@link SliAccumulator} as its counters followed by the KLL sketch's own compact byte
 * image (the library's stable serialization format), so window state checkpoints and restores
 * without Kryo. Format version 1.
 */
public final class SliAccumulatorSerializer extends TypeSerializerSingleton<SliAccumulator> {
    private static final long serialVersionUID = 1L;

    public static final SliAccumulatorSerializer INSTANCE = new SliAccumulatorSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SliAccumulator createInstance() {
        return new SliAccumulator();
    }

    @Override
    public SliAccumulator copy(SliAccumulator from) {
        return from.copy();
    }

    @Override
    public SliAccumulator copy(SliAccumulator from, SliAccumulator reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SliAccumulator a, DataOutputView out) throws IOException {
        out.writeLong(a.attempts);
        out.writeLong(a.startFailures);
        out.writeLong(a.playbackFailures);
        out.writeLong(a.rebufferMs);
        out.writeLong(a.playMs);
        out.writeLong(a.watchSamples);
        out.writeLong(a.segments);
        out.writeLong(a.cacheHits);
        byte[] sketch = a.sketchBytes();
        if (sketch == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(sketch.length);
            out.write(sketch);
        }
    }

    @Override
    public SliAccumulator deserialize(DataInputView in) throws IOException {
        SliAccumulator a = new SliAccumulator();
        a.attempts = in.readLong();
        a.startFailures = in.readLong();
        a.playbackFailures = in.readLong();
        a.rebufferMs = in.readLong();
        a.playMs = in.readLong();
        a.watchSamples = in.readLong();
        a.segments = in.readLong();
        a.cacheHits = in.readLong();
        int length = in.readInt();
        if (length >= 0) {
            byte[] sketch = new byte[length];
            in.readFully(sketch);
            a.sketchFromBytes(sketch);
        }
        return a;
    }

    @Override
    public SliAccumulator deserialize(SliAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SliAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from a checkpoint. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SliAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
