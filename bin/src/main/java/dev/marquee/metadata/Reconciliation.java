package dev.marquee.metadata;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.metadata.IdentityGraph;
import dev.marquee.jobs.metadata.MetadataNormalizationJob;
import dev.marquee.jobs.metadata.MetadataTopology;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The nightly reconciliation: the metadata-normalization topology run again, bounded, over the
 * whole history of metadata.feed.raw and metadata.overrides (earliest to the latest offsets at
 * start) in a local Flink, its catalog compared title by title with the live catalog.titles. On a
 * healthy pipeline there is no difference; any difference names the title and the fields.
 *
 * <p>Versions, update times and the ingest times in provenance are history, not content, and are
 * not compared ({@link IdentityGraph#comparable}).
 */
public final class Reconciliation {
    private Reconciliation() {}

    /** One title on which the replay and the live catalog disagree. */
    public record Difference(String contentId, String kind, List<String> fields) {}

    public record Report(int replayedTitles, int liveTitles, List<Difference> differences) {}

    public static Report run(Endpoints endpoints) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // The collecting sink of a check run has no uid; nothing here is ever restored.
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, true);
        // In-process Flink from the command line; the surrounding MiniCluster in tests.
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.bind(conf));
        env.setParallelism(2);
        JobSettings settings =
                JobSettings.local(
                        endpoints.bootstrapServers(),
                        endpoints.registryUrl(),
                        Duration.ofSeconds(10),
                        "reconcile-" + System.nanoTime());
        MetadataTopology.Outputs out =
                MetadataNormalizationJob.replay(
                        env, settings, MetadataTopology.Settings.defaults());
        List<CanonicalTitle> versions = new ArrayList<>();
        try (var it = out.titles().executeAndCollect(MetadataTopology.JOB + "-reconcile")) {
            it.forEachRemaining(versions::add);
        }
        Map<String, CanonicalTitle> replayed = catalog(versions);
        Map<String, CanonicalTitle> live =
                catalog(
                        new TopicClients(endpoints)
                                .readAll(Topic.CATALOG_TITLES.topicName(), CanonicalTitle.class));
        return new Report(replayed.size(), live.size(), diff(replayed, live));
    }

    /**
     * The catalog a sequence of title versions leaves, as compaction would: the last record per id
     * (in topic order per key, which is emission order), retired ones gone.
     */
    public static Map<String, CanonicalTitle> catalog(Iterable<CanonicalTitle> versions) {
        Map<String, CanonicalTitle> out = new TreeMap<>();
        for (CanonicalTitle t : versions) {
            out.put(t.getContentId(), t);
        }
        out.values().removeIf(t -> IdentityGraph.RETIRED.equals(t.getStatus()));
        return out;
    }

    public static List<Difference> diff(
            Map<String, CanonicalTitle> replayed, Map<String, CanonicalTitle> live) {
        List<Difference> out = new ArrayList<>();
        TreeSet<String> ids = new TreeSet<>(replayed.keySet());
        ids.addAll(live.keySet());
        for (String id : ids) {
            CanonicalTitle a = replayed.get(id);
            CanonicalTitle b = live.get(id);
            if (b == null) {
                out.add(new Difference(id, "missing-from-live", List.of()));
            } else if (a == null) {
                out.add(new Difference(id, "not-in-replay", List.of()));
            } else {
                CanonicalTitle x = IdentityGraph.comparable(a);
                CanonicalTitle y = IdentityGraph.comparable(b);
                List<String> fields = new ArrayList<>();
                for (Schema.Field f : CanonicalTitle.getClassSchema().getFields()) {
                    if (!Objects.equals(x.get(f.pos()), y.get(f.pos()))) {
                        fields.add(f.name());
                    }
                }
                if (!fields.isEmpty()) {
                    out.add(new Difference(id, "differs", fields));
                }
            }
        }
        return out;
    }
}
