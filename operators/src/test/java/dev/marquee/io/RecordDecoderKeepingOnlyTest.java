package dev.marquee.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.registry.RegistryConfig;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * A decoder {@link RecordDecoder#keepingOnly keeping only some kinds} passes on exactly the records
 * of those kinds, whatever the writer schema: read off the bytes when the writer puts only
 * primitives before the field (the rest of a record it drops is never decoded: garbage there is no
 * dead letter), decoded and tested after otherwise; writer symbols the reader does not know count
 * as the reader's default, and what cannot be read is still a dead letter.
 */
class RecordDecoderKeepingOnlyTest {
    private static final int CURRENT = 1;

    /** A writer that puts the optional cdn (a union) before eventType: no peeking past it. */
    private static final int UNION_FIRST = 2;

    /** A writer whose eventType knows a symbol the reader does not (PAUSE). */
    private static final int NEWER_SYMBOL = 3;

    private static final Schema UNION_FIRST_SCHEMA = unionFirst();
    private static final Schema NEWER_SYMBOL_SCHEMA = newerSymbol();

    private final List<DeadLetter> deadLetters = new ArrayList<>();

    @Test
    void keepsOnlyTheWantedKindsAndNeverDecodesTheOthers() throws Exception {
        RecordDecoder<PlaybackEvent> starts = decoder(Set.of("START"));
        for (PlaybackEventType type : PlaybackEventType.values()) {
            PlaybackEvent event = event(type);
            PlaybackEvent read = starts.decode(record(wire(CURRENT, event)), deadLetters::add);
            assertThat(read).isEqualTo(type == PlaybackEventType.START ? event : null);
        }
        assertThat(deadLetters).isEmpty();

        // Garbage after the field: a dropped kind is not even looked at, a kept one is decoded and
        // found broken.
        byte[] segment = garbageAfterTheKind(wire(CURRENT, event(PlaybackEventType.SEGMENT)));
        assertThat(starts.decode(record(segment), deadLetters::add)).isNull();
        assertThat(deadLetters).isEmpty();
        byte[] start = garbageAfterTheKind(wire(CURRENT, event(PlaybackEventType.START)));
        assertThat(starts.decode(record(start), deadLetters::add)).isNull();
        assertThat(deadLetters)
                .singleElement()
                .satisfies(
                        d -> assertThat(d.getCategory()).isEqualTo(DeadLetterCategory.UNDECODABLE));
    }

    @Test
    void aWriterWithAUnionBeforeTheFieldIsDecodedThenTested() throws Exception {
        RecordDecoder<PlaybackEvent> starts = decoder(Set.of("START"));
        assertThat(starts.decode(record(generic(UNION_FIRST, "START")), deadLetters::add))
                .satisfies(e -> assertThat(e.getEventType()).isEqualTo(PlaybackEventType.START))
                .satisfies(e -> assertThat(e.getCdn()).isEqualTo("cdn-a"));
        assertThat(starts.decode(record(generic(UNION_FIRST, "SEGMENT")), deadLetters::add))
                .isNull();
        assertThat(deadLetters).isEmpty();
        // No peeking here, so a broken record of a dropped kind is decoded and reported.
        byte[] broken = Arrays.copyOf(generic(UNION_FIRST, "SEGMENT"), 12);
        assertThat(starts.decode(record(broken), deadLetters::add)).isNull();
        assertThat(deadLetters).hasSize(1);
    }

    @Test
    void aSymbolTheReaderDoesNotKnowCountsAsTheReadersDefault() throws Exception {
        byte[] pause = generic(NEWER_SYMBOL, "PAUSE");
        assertThat(decoder(Set.of("START")).decode(record(pause), deadLetters::add)).isNull();
        assertThat(decoder(Set.of("OTHER")).decode(record(pause), deadLetters::add))
                .satisfies(e -> assertThat(e.getEventType()).isEqualTo(PlaybackEventType.OTHER));
        assertThat(
                        decoder(Set.of("START"))
                                .decode(record(generic(NEWER_SYMBOL, "START")), deadLetters::add))
                .satisfies(e -> assertThat(e.getEventType()).isEqualTo(PlaybackEventType.START));
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aRecordThePeekCannotReadIsADeadLetterWithItsReason() throws Exception {
        byte[] headerOnly = Arrays.copyOf(wire(CURRENT, event(PlaybackEventType.SEGMENT)), 5);
        assertThat(decoder(Set.of("START")).decode(record(headerOnly), deadLetters::add)).isNull();
        assertThat(deadLetters)
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).contains("not a valid PlaybackEvent"));
    }

    @Test
    void keepingByAFieldThatIsNoEnumFailsAtOpen() {
        RecordDecoder<PlaybackEvent> byTerritory =
                new RecordDecoder<>(
                                PlaybackEvent.class,
                                Topic.PLAYBACK_TELEMETRY,
                                RegistryConfig.of("http://127.0.0.1:1"),
                                "test")
                        .keepingOnly("territory", Set.of("US"));
        assertThatThrownBy(() -> byTerritory.open(id -> PlaybackEvent.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no enum field territory");
    }

    private static RecordDecoder<PlaybackEvent> decoder(Set<String> kinds) {
        RecordDecoder<PlaybackEvent> decoder =
                new RecordDecoder<>(
                                PlaybackEvent.class,
                                Topic.PLAYBACK_TELEMETRY,
                                RegistryConfig.of("http://127.0.0.1:1"),
                                "test")
                        .keepingOnly("eventType", kinds);
        Map<Integer, Schema> schemas =
                Map.of(
                        CURRENT, PlaybackEvent.getClassSchema(),
                        UNION_FIRST, UNION_FIRST_SCHEMA,
                        NEWER_SYMBOL, NEWER_SYMBOL_SCHEMA);
        decoder.open(schemas::get);
        return decoder;
    }

    private static PlaybackEvent event(PlaybackEventType type) {
        return PlaybackEvent.newBuilder()
                .setSessionId("s-" + type.ordinal())
                .setEventType(type)
                .setAt(Instant.parse("2026-11-20T11:00:00Z"))
                .setContentId("title-001")
                .setTerritory("DE")
                .setDeviceClass(DeviceClass.TV)
                .setCdn("cdn-a")
                .build();
    }

    /**
     * The record cut right after its kind and followed by bytes no PlaybackEvent has: header (5),
     * the session id "s-N" (length byte + 3) and the kind (1 byte).
     */
    private static byte[] garbageAfterTheKind(byte[] wire) {
        byte[] cut = Arrays.copyOf(wire, 5 + 4 + 1 + 3);
        Arrays.fill(cut, 10, cut.length, (byte) 0xff);
        return cut;
    }

    /** A record of one of the other writer schemas, of the given kind. */
    private static byte[] generic(int id, String kind) throws Exception {
        Schema schema = id == UNION_FIRST ? UNION_FIRST_SCHEMA : NEWER_SYMBOL_SCHEMA;
        GenericRecord r = new GenericData.Record(schema);
        r.put("sessionId", "s-g");
        r.put("eventType", new GenericData.EnumSymbol(schema.getField("eventType").schema(), kind));
        r.put("at", 1_763_636_400_000L);
        r.put("contentId", "title-001");
        r.put("territory", "DE");
        r.put(
                "deviceClass",
                new GenericData.EnumSymbol(schema.getField("deviceClass").schema(), "TV"));
        r.put("cdn", "cdn-a");
        r.put("repairs", List.of());
        return wire(id, out -> new GenericDatumWriter<GenericRecord>(schema).write(r, out));
    }

    private static KafkaRecord record(byte[] value) {
        return new KafkaRecord("playback.telemetry", 0, 7, 0, "k", value);
    }

    private interface Body {
        void write(BinaryEncoder out) throws Exception;
    }

    private static byte[] wire(int id, PlaybackEvent event) throws Exception {
        return wire(id, out -> new SpecificDatumWriter<>(PlaybackEvent.class).write(event, out));
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

    private static Schema unionFirst() {
        Schema current = PlaybackEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(copy(current.getField("sessionId")));
        fields.add(copy(current.getField("cdn")));
        for (Schema.Field f : current.getFields()) {
            if (!f.name().equals("sessionId") && !f.name().equals("cdn")) {
                fields.add(copy(f));
            }
        }
        return Schema.createRecord(
                current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    private static Schema newerSymbol() {
        Schema current = PlaybackEvent.getClassSchema();
        Schema kinds = current.getField("eventType").schema();
        List<String> symbols = new ArrayList<>(kinds.getEnumSymbols());
        symbols.add("PAUSE");
        Schema newer =
                Schema.createEnum(
                        kinds.getName(), kinds.getDoc(), kinds.getNamespace(), symbols, "OTHER");
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            fields.add(
                    f.name().equals("eventType")
                            ? new Schema.Field(f.name(), newer, f.doc(), "OTHER")
                            : copy(f));
        }
        return Schema.createRecord(
                current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    private static Schema.Field copy(Schema.Field f) {
        return new Schema.Field(f, f.schema());
    }
}
