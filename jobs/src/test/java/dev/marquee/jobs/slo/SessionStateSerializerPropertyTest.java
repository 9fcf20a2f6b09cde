package dev.marquee.jobs.slo;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

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
            @ForAll boolean firstFrame,
            @ForAll boolean failed,
            @ForAll boolean rebuffering,
            @ForAll long startedAt,
            @ForAll long lastEventAt,
            @ForAll long rebufferStartedAt,
            @ForAll long timer)
            throws Exception {
        SessionState s = new SessionState();
        s.territory = noTerritory ? null : territory;
        s.deviceClass = "TV";
        s.firstFrame = firstFrame;
        s.failed = failed;
        s.rebuffering = rebuffering;
        s.startedAt = startedAt;
        s.lastEventAt = lastEventAt;
        s.rebufferStartedAt = rebufferStartedAt;
        s.timer = timer;

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

    @Property(tries = 1)
    void theStateTypeUsesThisSerializerNotThePojoOne() {
        assertThat(
                        TypeInformation.of(SessionState.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isSameAs(SessionStateSerializer.INSTANCE);
    }
}
