package dev.marquee.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.schema.SessionEvent;
import dev.marquee.topics.Topic;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * playback.telemetry records read with {@link SessionEvent} as reader schema (what the SLO job's
 * session tracker does): every field the two share comes through exactly, whatever the kind of
 * event and whether its optional fields are set; the fields SessionEvent leaves out are skipped,
 * not decoded; and a broken record is still a dead letter with its reason.
 */
class RecordDecoderSessionEventTest {
    private static final int PLAYBACK_EVENT_V1 = 1;

    private final List<DeadLetter> deadLetters = new ArrayList<>();

    @Test
    void everySharedFieldComesThroughForEveryKind() throws Exception {
        RecordDecoder<SessionEvent> decoder = decoder();
        for (PlaybackEventType type : PlaybackEventType.values()) {
            for (boolean optionalsSet : new boolean[] {false, true}) {
                PlaybackEvent event = event(type, optionalsSet);

                SessionEvent read = decoder.decode(record(wire(event)), deadLetters::add);

                assertThat(read).as(type + " " + optionalsSet).isNotNull();
                for (Schema.Field f : SessionEvent.getClassSchema().getFields()) {
                    assertThat(read.get(f.name()))
                            .as(type + "." + f.name())
                            .isEqualTo(event.get(f.name()));
                }
            }
        }
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aRecordCutShortIsADeadLetter() throws Exception {
        byte[] whole = wire(event(PlaybackEventType.SEGMENT, true));
        byte[] cut = Arrays.copyOf(whole, whole.length - 6);

        assertThat(decoder().decode(record(cut), deadLetters::add)).isNull();

        assertThat(deadLetters)
                .singleElement()
                .satisfies(
                        d -> assertThat(d.getCategory()).isEqualTo(DeadLetterCategory.UNDECODABLE));
    }

    private static RecordDecoder<SessionEvent> decoder() {
        RecordDecoder<SessionEvent> decoder =
                new RecordDecoder<>(
                        SessionEvent.class,
                        Topic.PLAYBACK_TELEMETRY,
                        RegistryConfig.of("http://127.0.0.1:1"),
                        "test");
        decoder.open(
                id -> {
                    assertThat(id).isEqualTo(PLAYBACK_EVENT_V1);
                    return PlaybackEvent.getClassSchema();
                });
        return decoder;
    }

    private static PlaybackEvent event(PlaybackEventType type, boolean optionalsSet) {
        PlaybackEvent.Builder b =
                PlaybackEvent.newBuilder()
                        .setSessionId("s-" + type.ordinal())
                        .setEventType(type)
                        .setAt(Instant.ofEpochMilli(1_763_636_400_000L + type.ordinal()))
                        .setContentId("title-001")
                        .setTerritory("JP")
                        .setDeviceClass(DeviceClass.MOBILE)
                        .setRepairs(optionalsSet ? List.of("bl: -1 -> unset") : List.of());
        if (optionalsSet) {
            b.setCdn("cdn-b")
                    .setPop("nrt-1")
                    .setCacheHit(true)
                    .setBitrateKbps(4500)
                    .setBufferMs(1200)
                    .setLicenseLatencyMs(85)
                    .setFormatProfile("UHD")
                    .setErrorCode("E42")
                    .setPlayerState("p");
        }
        return b.build();
    }

    private static KafkaRecord record(byte[] value) {
        return new KafkaRecord("playback.telemetry", 0, 7, 0, "k", value);
    }

    private static byte[] wire(PlaybackEvent event) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(ByteBuffer.allocate(4).putInt(PLAYBACK_EVENT_V1).array());
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(PlaybackEvent.class).write(event, out);
        out.flush();
        return bytes.toByteArray();
    }
}
