package dev.marquee.jobs.metadata;

import dev.marquee.io.AvroDecoder;
import dev.marquee.io.DeadLetters;
import dev.marquee.io.KafkaRecord;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.ReviewItem;
import dev.marquee.time.EventTime;
import dev.marquee.topics.Topic;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The metadata-normalization job's dataflow, without sources or sinks:
 *
 * <pre>
 * metadata.feed.raw  -> decode -> normalize (ids, text repair, locales) --+
 *                                                                         +-> identity graph -> catalog.titles
 * metadata.overrides -> decode -> validate --------------------------------+        |-> metadata.review
 * undecodable | invalid | late -> metadata.feed.raw.dlq / metadata.overrides.dlq
 * </pre>
 *
 * Decoding and normalizing run at the job's parallelism; the identity graph runs with parallelism
 * one because identity links cross every key (see {@link IdentityGraph} and docs/metadata.md).
 * Event time is the Kafka record timestamp (the ingest stamps feed records with their ingest time
 * and overrides with their issue time), with per-partition watermarks from the source.
 *
 * <p>The nightly reconciliation runs this same topology over bounded sources (the whole history of
 * both topics) and compares its catalog with the live catalog.titles.
 */
public final class MetadataTopology {
    public static final String JOB = "metadata-normalization";

    private MetadataTopology() {}

    /**
     * Tunables.
     *
     * @param allowedLateness how long withdrawals are remembered to refuse older versions arriving
     *     late; anything later than that behind the watermark goes to the DLQ
     */
    public record Settings(Duration outOfOrderness, Duration idleness, Duration allowedLateness) {
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofDays(1));
        }
    }

    public record Outputs(
            DataStream<CanonicalTitle> titles,
            DataStream<ReviewItem> reviews,
            DataStream<DeadLetter> feedDeadLetters,
            DataStream<DeadLetter> overrideDeadLetters) {}

    public static WatermarkStrategy<KafkaRecord> watermarks(Settings settings) {
        return EventTime.bounded(
                settings.outOfOrderness(),
                settings.idleness(),
                (record, previous) -> record.timestamp);
    }

    public static Outputs build(
            DataStream<KafkaRecord> feedRaw,
            DataStream<KafkaRecord> overridesRaw,
            RegistryConfig registry,
            Settings settings) {
        OutputTag<DeadLetter> deadLetterTag = DeadLetters.tag();

        SingleOutputStreamOperator<FeedRecord> decodedFeed =
                feedRaw.process(
                                new AvroDecoder<>(
                                        FeedRecord.class, Topic.METADATA_FEED_RAW, registry, JOB))
                        .returns(new AvroTypeInfo<>(FeedRecord.class))
                        .uid("metadata-decode-feed")
                        .name("decode metadata.feed.raw");
        SingleOutputStreamOperator<FeedRecord> normalized =
                decodedFeed
                        .process(new NormalizeFeed(JOB))
                        .returns(new AvroTypeInfo<>(FeedRecord.class))
                        .uid("metadata-normalize-feed")
                        .name("normalize feed records");

        SingleOutputStreamOperator<EditorialOverride> decodedOverrides =
                overridesRaw
                        .process(
                                new AvroDecoder<>(
                                        EditorialOverride.class,
                                        Topic.METADATA_OVERRIDES,
                                        registry,
                                        JOB))
                        .returns(new AvroTypeInfo<>(EditorialOverride.class))
                        .uid("metadata-decode-overrides")
                        .name("decode metadata.overrides");
        SingleOutputStreamOperator<EditorialOverride> validOverrides =
                decodedOverrides
                        .process(new ValidateOverrides(JOB))
                        .returns(new AvroTypeInfo<>(EditorialOverride.class))
                        .uid("metadata-validate-overrides")
                        .name("validate overrides");

        SingleOutputStreamOperator<CanonicalTitle> titles =
                normalized
                        .keyBy(r -> IdentityGraph.KEY, Types.STRING)
                        .connect(validOverrides.keyBy(o -> IdentityGraph.KEY, Types.STRING))
                        .process(new IdentityGraph(settings.allowedLateness().toMillis(), JOB))
                        .returns(new AvroTypeInfo<>(CanonicalTitle.class))
                        .setParallelism(1)
                        .setMaxParallelism(1)
                        .uid("metadata-identity-graph")
                        .name("identity graph");

        DataStream<DeadLetter> lateInGraph = titles.getSideOutput(deadLetterTag);
        String feedTopic = Topic.METADATA_FEED_RAW.topicName();
        DataStream<DeadLetter> feedDeadLetters =
                decodedFeed
                        .getSideOutput(deadLetterTag)
                        .union(
                                normalized.getSideOutput(deadLetterTag),
                                lateInGraph
                                        .filter(d -> feedTopic.equals(d.getSourceTopic()))
                                        .uid("metadata-late-feed")
                                        .name("late feed records"));
        DataStream<DeadLetter> overrideDeadLetters =
                decodedOverrides
                        .getSideOutput(deadLetterTag)
                        .union(
                                validOverrides.getSideOutput(deadLetterTag),
                                lateInGraph
                                        .filter(d -> !feedTopic.equals(d.getSourceTopic()))
                                        .uid("metadata-late-overrides")
                                        .name("late overrides"));
        return new Outputs(
                titles,
                titles.getSideOutput(IdentityGraph.REVIEWS),
                feedDeadLetters,
                overrideDeadLetters);
    }
}
