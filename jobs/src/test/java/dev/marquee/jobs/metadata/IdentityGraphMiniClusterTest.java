package dev.marquee.jobs.metadata;

import static dev.marquee.jobs.metadata.MetadataFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.jobs.common.Loopback;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.FeedRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The graph operator on a real (local) Flink: records cross the network as Avro, no Kryo. */
class IdentityGraphMiniClusterTest {

    @Test
    void mecAndJsonRecordsMergeOnFlink() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.bind(conf));
        env.setParallelism(2);
        var feed =
                env.fromData(
                        List.of(MecLikeRecordTest.json(), MecLikeRecordTest.mec()),
                        new AvroTypeInfo<>(FeedRecord.class));
        var overrides =
                env.fromData(
                        List.of(
                                setField(
                                        "ed-1",
                                        "eidr:" + MecLikeRecordTest.EIDR,
                                        "releaseYear",
                                        "2018",
                                        1)),
                        new AvroTypeInfo<>(EditorialOverride.class));
        var titles =
                feed.keyBy(r -> IdentityGraph.KEY, Types.STRING)
                        .connect(overrides.keyBy(o -> IdentityGraph.KEY, Types.STRING))
                        .process(new IdentityGraph(3_600_000, "test"))
                        .returns(new AvroTypeInfo<>(CanonicalTitle.class))
                        .setParallelism(1);
        List<CanonicalTitle> out = new ArrayList<>();
        try (var it = titles.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        CanonicalTitle t = catalog(out).get("eidr:" + MecLikeRecordTest.EIDR);
        assertThat(t.getSources()).hasSize(2);
        assertThat(t.getReleaseYear()).isEqualTo(2018);
    }
}
