package dev.marquee.jobs.slo;

import dev.marquee.io.SerializerTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes and copies an {@link SliSample} field by field. Every sample the session tracker emits is
 * copied into the chained pre-aggregator (Flink copies records between chained operators unless
 * object reuse is on, which the demo's shared job graph cannot have for one job alone), and the
 * POJO serializer's reflective copy was a sixth of the session task's work. Format version 1.
 */
public final class SliSampleSerializer extends TypeSerializerSingleton<SliSample> {
    private static final long serialVersionUID = 1L;

    public static final SliSampleSerializer INSTANCE = new SliSampleSerializer();

    /** What {@code @TypeInfo} on {@link SliSample} names. */
    public static final class Factory extends TypeInfoFactory<SliSample> {
        static final TypeInformation<SliSample> TYPE =
                new SerializerTypeInfo<>(SliSample.class, INSTANCE);

        @Override
        public TypeInformation<SliSample> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return TYPE;
        }
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SliSample createInstance() {
        return new SliSample();
    }

    @Override
    public SliSample copy(SliSample from) {
        SliSample c = new SliSample();
        c.territory = from.territory;
        c.deviceClass = from.deviceClass;
        c.pop = from.pop;
        c.attempts = from.attempts;
        c.startFailures = from.startFailures;
        c.playbackFailures = from.playbackFailures;
        c.rebufferMs = from.rebufferMs;
        c.playMs = from.playMs;
        c.licenseLatencyMs = from.licenseLatencyMs;
        c.licenseLatencies = from.licenseLatencies == null ? null : from.licenseLatencies.clone();
        c.mergedLatencies = from.mergedLatencies;
        c.watchSamples = from.watchSamples;
        c.segments = from.segments;
        c.cacheHits = from.cacheHits;
        return c;
    }

    @Override
    public SliSample copy(SliSample from, SliSample reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SliSample s, DataOutputView out) throws IOException {
        StringValue.writeString(s.territory, out);
        StringValue.writeString(s.deviceClass, out);
        StringValue.writeString(s.pop, out);
        out.writeLong(s.attempts);
        out.writeLong(s.startFailures);
        out.writeLong(s.playbackFailures);
        out.writeLong(s.rebufferMs);
        out.writeLong(s.playMs);
        out.writeInt(s.licenseLatencyMs);
        if (s.licenseLatencies == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(s.mergedLatencies);
            for (int i = 0; i < s.mergedLatencies; i++) {
                out.writeInt(s.licenseLatencies[i]);
            }
        }
        out.writeLong(s.watchSamples);
        out.writeLong(s.segments);
        out.writeLong(s.cacheHits);
    }

    @Override
    public SliSample deserialize(DataInputView in) throws IOException {
        SliSample s = new SliSample();
        s.territory = StringValue.readString(in);
        s.deviceClass = StringValue.readString(in);
        s.pop = StringValue.readString(in);
        s.attempts = in.readLong();
        s.startFailures = in.readLong();
        s.playbackFailures = in.readLong();
        s.rebufferMs = in.readLong();
        s.playMs = in.readLong();
        s.licenseLatencyMs = in.readInt();
        int latencies = in.readInt();
        if (latencies >= 0) {
            s.licenseLatencies = new int[latencies];
            s.mergedLatencies = latencies;
            for (int i = 0; i < latencies; i++) {
                s.licenseLatencies[i] = in.readInt();
            }
        }
        s.watchSamples = in.readLong();
        s.segments = in.readLong();
        s.cacheHits = in.readLong();
        return s;
    }

    @Override
    public SliSample deserialize(SliSample reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SliSample> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from a checkpoint. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SliSample> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
