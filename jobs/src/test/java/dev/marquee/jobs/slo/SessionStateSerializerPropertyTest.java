package dev.marquee.jobs.slo;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;

/**
 * Any session state survives {@link SessionStateSerializer} and its copy exactly (flags packed in
 * one byte, unset times as Long.MIN_VALUE, a missing territory), and the copy is a new object: the
 * heap backend's copy-on-write relies on it.
 */
class SessionStateSerializerPropertyTest {
    @Property(tries = 200)
    void roundTripsAndCopiesEveryField(
            @ForAll @StringLength(max = 3) String territory,
            @ForAll boolean noTerritory,
            @ForAll @StringLength(max = 8) String pop,
            @ForAll boolean noPop,
            @ForAll boolean firstFrame,
            @ForAll boolean failed,
            @ForAll boolean rebuffering,
            @ForAll long startedAt,
            @ForAll long lastEventAt,
            @ForAll long rebufferStartedAt,
            @ForAll long timer,
            @ForAll long writtenAt,
            @ForAll long ttlTimer)
            throws Exception {
        SessionState s = new SessionState();
        s.territory = noTerritory ? null : territory;
        s.deviceClass = "TV";
        s.pop = noPop ? null : pop;
        s.firstFrame = firstFrame;
        s.failed = failed;
        s.rebuffering = rebuffering;
        s.startedAt = startedAt;
        s.lastEventAt = lastEventAt;
        s.rebufferStartedAt = rebufferStartedAt;
        s.timer = timer;
        s.writtenAt = writtenAt;
        s.ttlTimer = ttlTimer;

        DataOutputSerializer out = new DataOutputSerializer(64);
        SessionStateSerializer.INSTANCE.serialize(s, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(SessionStateSerializer.INSTANCE.deserialize(in))
                .usingRecursiveComparison()
                .isEqualTo(s);
        assertThat(in.available()).isZero();

        SessionState copy = SessionStateSerializer.INSTANCE.copy(s);
        assertThat(copy).isNotSameAs(s).usingRecursiveComparison().isEqualTo(s);
    }

    /** Format 1, written before the PoP was kept, still reads (with no PoP). */
    @Property(tries = 1)
    void readsStatesWrittenWithoutThePop() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        StringValue.writeString("SE", out);
        StringValue.writeString("TV", out);
        out.writeByte(1 | 4); // first frame, rebuffering
        out.writeLong(10L);
        out.writeLong(20L);
        out.writeLong(15L);
        out.writeLong(Long.MIN_VALUE);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

        SessionState s = SessionStateSerializer.INSTANCE.deserialize(in);

        assertThat(s.territory).isEqualTo("SE");
        assertThat(s.pop).isNull();
        assertThat(s.firstFrame && s.rebuffering && !s.failed).isTrue();
        assertThat(s.lastEventAt).isEqualTo(20L);
        assertThat(s.timer).isEqualTo(Long.MIN_VALUE);
        assertThat(s.ttlTimer).as("no TTL timer in format 1").isEqualTo(Long.MIN_VALUE);
        assertThat(in.available()).isZero();
    }

    @Property(tries = 1)
    void theStateTypeUsesThisSerializerNotThePojoOne() {
        assertThat(
                        TypeInformation.of(SessionState.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isSameAs(SessionStateSerializer.INSTANCE);
    }
}
