package dev.marquee.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Raw records survive the serializer exactly, tombstones and missing keys included. */
class KafkaRecordSerializerTest {
    static final List<KafkaRecord> RECORDS =
            List.of(
                    new KafkaRecord(
                            "playback.telemetry",
                            7,
                            123_456_789L,
                            1_795_000_000_000L,
                            "session-ä-1",
                            "\0wire".getBytes(StandardCharsets.UTF_8)),
                    new KafkaRecord("rights.events", 0, 0, -1, null, new byte[0]),
                    new KafkaRecord("catalog.titles", 3, 42, 5, "c-1", null),
                    // outside Latin-1 and past a surrogate pair, and empty: UTF-8 both ways
                    new KafkaRecord("titres.été", 1, 1, 1, "東京-\uD83C\uDFAC", new byte[] {1}),
                    new KafkaRecord("", 2, 2, 2, "", new byte[0]));

    @Test
    void everyFieldRoundTrips() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (KafkaRecord r : RECORDS) {
            KafkaRecordSerializer.INSTANCE.serialize(r, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (KafkaRecord r : RECORDS) {
            KafkaRecord back = KafkaRecordSerializer.INSTANCE.deserialize(in);
            assertThat(back).isEqualTo(r);
            assertThat(back.key).isEqualTo(r.key);
            assertThat(back.value).isEqualTo(r.value);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void theClassIsBoundToItsOwnSerializerNotThePojoOne() {
        TypeInformation<KafkaRecord> type = TypeInformation.of(KafkaRecord.class);
        assertThat(type).isSameAs(KafkaRecordTypeInfo.INSTANCE);
        assertThat(type.createSerializer(new SerializerConfigImpl()))
                .isSameAs(KafkaRecordSerializer.INSTANCE);
        assertThat(KafkaRecordSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isSameAs(KafkaRecordSerializer.INSTANCE);
    }

    @Test
    void aCopyDoesNotShareTheValueBytes() {
        KafkaRecord r = RECORDS.get(0);
        KafkaRecord copy = KafkaRecordSerializer.INSTANCE.copy(r);
        assertThat(copy).isEqualTo(r);
        assertThat(copy.value).isNotSameAs(r.value);
    }
}
