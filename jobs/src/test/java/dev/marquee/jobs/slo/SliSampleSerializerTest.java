package dev.marquee.jobs.slo;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** SLI samples, single and merged, survive the serializer and its copy exactly. */
class SliSampleSerializerTest {
    static SliSample merged() {
        SliSample a = SliSample.forPop("JP", "nrt-1");
        a.segments = 3;
        a.cacheHits = 2;
        SliSample b = SliSample.forPop("JP", "nrt-1");
        b.licenseLatencyMs = 85;
        b.playMs = 4_000;
        SliSample sum = a.emptyOfGroup();
        sum.merge(a);
        sum.merge(b);
        return sum;
    }

    @Test
    void singleAndMergedSamplesRoundTrip() throws Exception {
        SliSample single = SliSample.forDevice("FR", "TV");
        single.attempts = 1;
        single.licenseLatencyMs = 42;
        DataOutputSerializer out = new DataOutputSerializer(64);
        SliSampleSerializer.INSTANCE.serialize(single, out);
        SliSampleSerializer.INSTANCE.serialize(merged(), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SliSample back = SliSampleSerializer.INSTANCE.deserialize(in);
        assertThat(back).usingRecursiveComparison().isEqualTo(single);
        SliSample backMerged = SliSampleSerializer.INSTANCE.deserialize(in);
        // the merged array has spare capacity; what is written is the latencies it holds
        assertThat(backMerged)
                .usingRecursiveComparison()
                .ignoringFields("licenseLatencies")
                .isEqualTo(merged());
        assertThat(backMerged.latencies()).containsExactly(85);
        assertThat(backMerged.licenseLatencies).containsExactly(85);
        assertThat(in.available()).isZero();
    }

    @Test
    void aSumOfManySamplesAndSumsKeepsEveryLatencyOnceInOrder() throws Exception {
        SliSample sum = SliSample.forDevice("US", "TV").emptyOfGroup();
        java.util.List<Integer> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            SliSample one = SliSample.forDevice("US", "TV");
            one.licenseLatencyMs = i;
            expected.add(i);
            if (i % 10 == 0) {
                SliSample part = one.emptyOfGroup();
                part.merge(one);
                SliSample other = SliSample.forDevice("US", "TV");
                other.licenseLatencyMs = 5_000 + i;
                part.merge(other);
                expected.add(5_000 + i);
                sum.merge(part);
            } else {
                sum.merge(one);
            }
        }
        assertThat(sum.latencies()).containsExactly(ints(expected));
        DataOutputSerializer out = new DataOutputSerializer(64);
        SliSampleSerializer.INSTANCE.serialize(sum, out);
        SliSample back =
                SliSampleSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.latencies()).containsExactly(ints(expected));
        assertThat(SliSampleSerializer.INSTANCE.copy(sum).latencies())
                .containsExactly(ints(expected));
    }

    private static int[] ints(java.util.List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void theCopyIsDeepAndTheClassUsesThisSerializer() {
        SliSample m = merged();
        SliSample copy = SliSampleSerializer.INSTANCE.copy(m);
        assertThat(copy).usingRecursiveComparison().isEqualTo(m);
        assertThat(copy.licenseLatencies).isNotSameAs(m.licenseLatencies);
        assertThat(TypeInformation.of(SliSample.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(SliSampleSerializer.INSTANCE);
    }
}
