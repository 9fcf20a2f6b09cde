package dev.marquee.jobs.metadata;

import dev.marquee.io.KafkaIO;
import dev.marquee.io.KafkaRecord;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.ReviewItem;
import dev.marquee.topics.Topic;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Normalizes studio feeds into canonical titles, continuously. Thin: wires Kafka to {@link
 * MetadataTopology}. {@link #replay} wires the same topology over bounded sources for the nightly
 * reconciliation.
 *
 * <pre>
 * args: --bootstrap-servers 127.0.0.1:9092 --registry-url http://127.0.0.1:8085/apis/ccompat/v7
 *       [--registry-basic-auth user:pass] [--checkpoint-interval-ms 10000]
 *       [--start earliest|committed] [--instance suffix]
 * </pre>
 */
public final class MetadataNormalizationJob {
    private MetadataNormalizationJob() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.fromArgs(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        settings.pipelineConfiguration());
        wire(env, settings, MetadataTopology.Settings.defaults());
        env.execute(MetadataTopology.JOB);
    }

    /** Sources, topology and exactly-once sinks (the job, the demo and the tests use this). */
    public static MetadataTopology.Outputs wire(
            StreamExecutionEnvironment env,
            JobSettings settings,
            MetadataTopology.Settings topologySettings) {
        settings.configure(env);
        OffsetsInitializer start = settings.startOffsets();
        MetadataTopology.Outputs out = sources(env, settings, topologySettings, start, null, "");
        KafkaIO kafka = settings.kafka();
        // Versions of one title must reach its partition in order: a compacted reader keeps the
        // last record per key. Keyed by content id, every version of a title goes through one
        // sink subtask (one transaction per checkpoint, committed in checkpoint order); spread
        // round-robin, two subtasks' transactions could commit v2 before v1.
        out.titles()
                .keyBy(CanonicalTitle::getContentId, Types.STRING)
                .sinkTo(
                        kafka.sink(
                                Topic.CATALOG_TITLES.topicName(),
                                CanonicalTitle.class,
                                CanonicalTitle::getContentId,
                                settings.unique("marquee-metadata-titles"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("metadata-titles-sink")
                .name("catalog.titles");
        out.reviews()
                .keyBy(ReviewItem::getReviewId, Types.STRING)
                .sinkTo(
                        kafka.sink(
                                Topic.METADATA_REVIEW.topicName(),
                                ReviewItem.class,
                                ReviewItem::getReviewId,
                                settings.unique("marquee-metadata-review"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("metadata-review-sink")
                .name("metadata.review");
        out.feedDeadLetters()
                .sinkTo(
                        kafka.sink(
                                Topic.METADATA_FEED_RAW.dlqName(),
                                DeadLetter.class,
                                DeadLetter::getKey,
                                settings.unique("marquee-metadata-feed-dlq"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("metadata-feed-dlq-sink")
                .name("metadata.feed.raw.dlq");
        out.overrideDeadLetters()
                .sinkTo(
                        kafka.sink(
                                Topic.METADATA_OVERRIDES.dlqName(),
                                DeadLetter.class,
                                DeadLetter::getKey,
                                settings.unique("marquee-metadata-overrides-dlq"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("metadata-overrides-dlq-sink")
                .name("metadata.overrides.dlq");
        return out;
    }

    /**
     * The same topology over the whole history of both input topics, from the earliest offset to
     * the latest at start, writing nothing: the reconciliation collects its titles and compares
     * them with the live catalog. Its consumer group is throwaway (offsets are not committed).
     */
    public static MetadataTopology.Outputs replay(
            StreamExecutionEnvironment env,
            JobSettings settings,
            MetadataTopology.Settings topologySettings) {
        return sources(
                env,
                settings,
                topologySettings,
                OffsetsInitializer.earliest(),
                OffsetsInitializer.latest(),
                "-reconcile");
    }

    private static MetadataTopology.Outputs sources(
            StreamExecutionEnvironment env,
            JobSettings settings,
            MetadataTopology.Settings topologySettings,
            OffsetsInitializer start,
            OffsetsInitializer stopAt,
            String suffix) {
        KafkaIO kafka = settings.kafka();
        String group = settings.unique("marquee-" + MetadataTopology.JOB + suffix);
        DataStream<KafkaRecord> feed =
                env.fromSource(
                                kafka.source(Topic.METADATA_FEED_RAW, group, start, stopAt),
                                MetadataTopology.watermarks(topologySettings),
                                "metadata.feed.raw")
                        .uid("metadata-feed-source");
        DataStream<KafkaRecord> overrides =
                env.fromSource(
                                kafka.source(Topic.METADATA_OVERRIDES, group, start, stopAt),
                                MetadataTopology.watermarks(topologySettings),
                                "metadata.overrides")
                        .uid("metadata-overrides-source");
        return MetadataTopology.build(feed, overrides, settings.registry(), topologySettings);
    }
}
