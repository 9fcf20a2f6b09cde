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
 * Writes and copies a {@link SessionState} field by field, its four flags in one byte. There is one
 * per live session, and the heap state backend copies a session's state when the session is touched
 * while a checkpoint is being written (copy-on-write) and serializes every one at every checkpoint:
 * with the POJO serializer both went through reflection, a constructor call and a field lookup per
 * field, for tens of thousands of sessions a second. On RocksDB it is the serializer of every read
 * and write. Format version 1, and the PoP behind a flag bit that format 1 never set (so states
 * written before the PoP was kept still read); the state-TTL fields (processing time of the last
 * write, the TTL timer) behind another such bit.
 */
public final class SessionStateSerializer extends TypeSerializerSingleton<SessionState> {
    private static final long serialVersionUID = 1L;

    public static final SessionStateSerializer INSTANCE = new SessionStateSerializer();

    private static final int FIRST_FRAME = 1;
    private static final int FAILED = 2;
    private static final int REBUFFERING = 4;

    /** Format 1 had no PoP: its flags never have this bit, so its states read with none. */
    private static final int HAS_POP = 8;

    /** Set since the state TTL is a timer of the session's own: its two fields follow. */
    private static final int HAS_TTL = 16;

    /** What {@code @TypeInfo} on {@link SessionState} names. */
    public static final class Factory extends TypeInfoFactory<SessionState> {
        static final TypeInformation<SessionState> TYPE =
                new SerializerTypeInfo<>(SessionState.class, INSTANCE);

        @Override
        public TypeInformation<SessionState> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return TYPE;
        }
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SessionState createInstance() {
        return new SessionState();
    }

    @Override
    public SessionState copy(SessionState from) {
        SessionState c = new SessionState();
        c.territory = from.territory;
        c.deviceClass = from.deviceClass;
        c.pop = from.pop;
        c.startedAt = from.startedAt;
        c.firstFrame = from.firstFrame;
        c.failed = from.failed;
        c.lastEventAt = from.lastEventAt;
        c.rebuffering = from.rebuffering;
        c.rebufferStartedAt = from.rebufferStartedAt;
        c.timer = from.timer;
        c.writtenAt = from.writtenAt;
        c.ttlTimer = from.ttlTimer;
        return c;
    }

    @Override
    public SessionState copy(SessionState from, SessionState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SessionState s, DataOutputView out) throws IOException {
        StringValue.writeString(s.territory, out);
        StringValue.writeString(s.deviceClass, out);
        out.writeByte(
                (s.firstFrame ? FIRST_FRAME : 0)
                        | (s.failed ? FAILED : 0)
                        | (s.rebuffering ? REBUFFERING : 0)
                        | (s.pop != null ? HAS_POP : 0)
                        | HAS_TTL);
        if (s.pop != null) {
            StringValue.writeString(s.pop, out);
        }
        out.writeLong(s.startedAt);
        out.writeLong(s.lastEventAt);
        out.writeLong(s.rebufferStartedAt);
        out.writeLong(s.timer);
        out.writeLong(s.writtenAt);
        out.writeLong(s.ttlTimer);
    }

    @Override
    public SessionState deserialize(DataInputView in) throws IOException {
        SessionState s = new SessionState();
        s.territory = StringValue.readString(in);
        s.deviceClass = StringValue.readString(in);
        int flags = in.readByte();
        s.firstFrame = (flags & FIRST_FRAME) != 0;
        s.failed = (flags & FAILED) != 0;
        s.rebuffering = (flags & REBUFFERING) != 0;
        if ((flags & HAS_POP) != 0) {
            s.pop = StringValue.readString(in);
        }
        s.startedAt = in.readLong();
        s.lastEventAt = in.readLong();
        s.rebufferStartedAt = in.readLong();
        s.timer = in.readLong();
        if ((flags & HAS_TTL) != 0) {
            s.writtenAt = in.readLong();
            s.ttlTimer = in.readLong();
        }
        return s;
    }

    @Override
    public SessionState deserialize(SessionState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SessionState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from a checkpoint. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SessionState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
