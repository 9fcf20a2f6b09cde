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
        assertThat(backMerged).usingRecursiveComparison().isEqualTo(merged());
        assertThat(backMerged.latencies()).containsExactly(85);
        assertThat(in.available()).isZero();
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
