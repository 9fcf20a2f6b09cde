package dev.marquee.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.RegistryException;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.topics.Topic;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decoder reads Confluent wire-format Avro exactly as Avro's own resolution would: every field
 * (unions, enums, arrays, timestamps), records of an older writer schema with the reader's
 * defaults, one reader per schema id reused across records; bad bytes and unknown ids become dead
 * letters with the reason, and a registry that does not answer is thrown, not blamed on the record.
 */
class RecordDecoderTest {
    private static final int CURRENT = 7;
    private static final int OLDER = 3;
    private static final int UNKNOWN = 99;
    private static final int OUTAGE = 500;

    /** PlaybackEvent as first written: without playerState and repairs (both have defaults). */
    private static final Schema OLDER_SCHEMA = olderSchema();

    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private RecordDecoder<PlaybackEvent> decoder;

    @BeforeEach
    void open() {
        decoder =
                new RecordDecoder<>(
                        PlaybackEvent.class,
                        Topic.PLAYBACK_TELEMETRY,
                        RegistryConfig.of("http://127.0.0.1:1"),
                        "test");
        Map<Integer, Schema> schemas =
                Map.of(CURRENT, PlaybackEvent.getClassSchema(), OLDER, OLDER_SCHEMA);
        decoder.open(
                id -> {
                    if (id == OUTAGE) {
                        throw new RegistryException("registry unreachable", 0, null);
                    }
                    Schema s = schemas.get(id);
                    if (s == null) {
                        throw new RegistryException("schema " + id + " not found", 404, null);
                    }
                    return s;
                });
    }

    @Test
    void readsEveryFieldOfRecordsAfterOneAnother() throws Exception {
        PlaybackEvent full =
                PlaybackEvent.newBuilder()
                        .setSessionId("s-1")
                        .setEventType(PlaybackEventType.LICENSE_REQUEST)
                        .setAt(Instant.parse("2026-11-20T10:00:00.123Z"))
                        .setContentId("eidr:10.5240/7EC7-228A-510A-053E-CBB8-J")
                        .setTerritory("JP")
                        .setDeviceClass(DeviceClass.TV)
                        .setCdn("cdn-a")
                        .setPop("nrt")
                        .setCacheHit(true)
                        .setBitrateKbps(8000)
                        .setBufferMs(1200)
                        .setLicenseLatencyMs(85)
                        .setFormatProfile("UHD")
                        .setErrorCode("E1")
                        .setPlayerState("p")
                        .setRepairs(List.of("br: '8000kbps' read as 8000"))
                        .build();
        PlaybackEvent sparse =
                PlaybackEvent.newBuilder()
                        .setSessionId("s-2")
                        .setEventType(PlaybackEventType.END)
                        .setAt(Instant.parse("2026-11-20T10:05:00Z"))
                        .setContentId("title-002")
                        .setTerritory("US")
                        .setDeviceClass(DeviceClass.MOBILE)
                        .build();
        assertThat(decoder.decode(record(wire(CURRENT, full)), deadLetters::add)).isEqualTo(full);
        assertThat(decoder.decode(record(wire(CURRENT, sparse)), deadLetters::add))
                .isEqualTo(sparse);
        assertThat(decoder.decode(record(wire(CURRENT, full)), deadLetters::add)).isEqualTo(full);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void readsAnOlderWriterSchemaWithTheReadersDefaults() {
        GenericRecord old = new GenericData.Record(OLDER_SCHEMA);
        old.put("sessionId", "s-old");
        old.put(
                "eventType",
                new GenericData.EnumSymbol(OLDER_SCHEMA.getField("eventType").schema(), "START"));
        old.put("at", 1_763_632_800_000L);
        old.put("contentId", "title-001");
        old.put("territory", "FR");
        old.put(
                "deviceClass",
                new GenericData.EnumSymbol(
                        OLDER_SCHEMA.getField("deviceClass").schema(), "CONSOLE"));
        PlaybackEvent read = decoder.decode(record(wire(OLDER, old)), deadLetters::add);
        assertThat(deadLetters).isEmpty();
        assertThat(read.getSessionId()).isEqualTo("s-old");
        assertThat(read.getEventType()).isEqualTo(PlaybackEventType.START);
        assertThat(read.getAt()).isEqualTo(Instant.ofEpochMilli(1_763_632_800_000L));
        assertThat(read.getDeviceClass()).isEqualTo(DeviceClass.CONSOLE);
        assertThat(read.getPlayerState()).isNull();
        assertThat(read.getRepairs()).isEmpty();
    }

    @Test
    void badBytesAndUnknownSchemasBecomeDeadLettersWithTheReason() throws Exception {
        assertThat(decoder.decode(record("not avro".getBytes()), deadLetters::add)).isNull();
        assertThat(decoder.decode(record(new byte[] {0, 0, 0}), deadLetters::add)).isNull();
        byte[] unknown = wire(UNKNOWN, PlaybackEvent.newBuilder(sample()).build());
        assertThat(decoder.decode(record(unknown), deadLetters::add)).isNull();
        byte[] truncated = wire(CURRENT, sample());
        truncated = java.util.Arrays.copyOf(truncated, truncated.length - 6);
        assertThat(decoder.decode(record(truncated), deadLetters::add)).isNull();
        assertThat(decoder.decode(record(null), deadLetters::add)).isNull();

        assertThat(deadLetters)
                .extracting(DeadLetter::getCategory)
                .containsOnly(DeadLetterCategory.UNDECODABLE);
        assertThat(deadLetters)
                .extracting(DeadLetter::getReason)
                .satisfiesExactly(
                        r -> assertThat(r).contains("first byte is 110, expected 0"),
                        r -> assertThat(r).contains("header is cut short"),
                        r -> assertThat(r).contains("writer schema unknown to the registry"),
                        r -> assertThat(r).contains("not a valid PlaybackEvent"),
                        r -> assertThat(r).contains("tombstone"));
        assertThat(deadLetters.get(0).getPayload())
                .isEqualTo(ByteBuffer.wrap("not avro".getBytes()));
        // A good record after the bad ones still decodes (the reused decoder holds nothing over).
        assertThat(decoder.decode(record(wire(CURRENT, sample())), deadLetters::add))
                .isEqualTo(sample());
    }

    @Test
    void anUnreachableRegistryIsThrownNotBlamedOnTheRecord() throws Exception {
        byte[] bytes = wire(OUTAGE, sample());
        assertThatThrownBy(() -> decoder.decode(record(bytes), deadLetters::add))
                .isInstanceOf(RegistryException.class);
        assertThat(deadLetters).isEmpty();
    }

    private static PlaybackEvent sample() {
        return PlaybackEvent.newBuilder()
                .setSessionId("s-3")
                .setEventType(PlaybackEventType.SEGMENT)
                .setAt(Instant.parse("2026-11-20T11:00:00Z"))
                .setContentId("title-003")
                .setTerritory("DE")
                .setDeviceClass(DeviceClass.DESKTOP)
                .setCacheHit(false)
                .setPop("fra")
                .build();
    }

    private static KafkaRecord record(byte[] value) {
        return new KafkaRecord("playback.telemetry", 0, 42, 0, "k", value);
    }

    private static byte[] wire(int id, PlaybackEvent event) throws Exception {
        return wire(id, out -> new SpecificDatumWriter<>(PlaybackEvent.class).write(event, out));
    }

    private static byte[] wire(int id, GenericRecord record) {
        try {
            return wire(
                    id,
                    out -> new GenericDatumWriter<GenericRecord>(OLDER_SCHEMA).write(record, out));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Body {
        void write(BinaryEncoder out) throws Exception;
    }

    private static byte[] wire(int id, Body body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        body.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static Schema olderSchema() {
        Schema current = PlaybackEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (!f.name().equals("playerState") && !f.name().equals("repairs")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(
                current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }
}
