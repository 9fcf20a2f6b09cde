package dev.marquee.jobs.compliance;

import dev.marquee.io.AvroDecoder;
import dev.marquee.io.DeadLetters;
import dev.marquee.io.KafkaRecord;
import dev.marquee.io.RecordDecoder;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.Availability;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.time.EventTime;
import dev.marquee.topics.Topic;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The playback compliance job's dataflow, without sources or sinks:
 *
 * <pre>
 * playback.telemetry -> decode, START only -> key contentId|territory ---+
 * catalog.availability -> decode -> key contentId|territory --------------+-> temporal join
 *   (versioned availability, plays judged when the watermark passes them) -> compliance.violations
 * undecodable telemetry | plays older than the retention -> playback.telemetry.dlq
 * </pre>
 *
 * An availability record that cannot be decoded joins the same dead-letter stream (its dead letter
 * names catalog.availability as source topic): that topic has no DLQ of its own, being written by a
 * Marquee job, and a broken record there must still be seen rather than dropped.
 */
public final class ComplianceTopology {
    public static final String JOB = "playback-compliance";

    private ComplianceTopology() {}

    /** Tunables. */
    public record Settings(Duration outOfOrderness, Duration idleness, Duration retention)
            implements Serializable {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofHours(6));
        }

        public Settings withIdleness(Duration idle) {
            return new Settings(outOfOrderness, idle, retention);
        }
    }

    /** What the topology produces. */
    public record Outputs(
            DataStream<ComplianceViolation> violations, DataStream<DeadLetter> deadLetters) {}

    /** Per-partition watermarks on the Kafka record timestamp, for both sources. */
    public static WatermarkStrategy<KafkaRecord> watermarks(Settings settings) {
        return EventTime.bounded(
                settings.outOfOrderness(),
                settings.idleness(),
                (record, previous) -> record.timestamp);
    }

    public static Outputs build(
            DataStream<KafkaRecord> telemetry,
            DataStream<KafkaRecord> availability,
            RegistryConfig registry,
            Settings settings) {
        OutputTag<DeadLetter> deadLetterTag = DeadLetters.tag();
        SingleOutputStreamOperator<PlaybackEvent> plays =
                telemetry
                        .process(
                                new AvroDecoder<>(
                                        new RecordDecoder<>(
                                                        PlaybackEvent.class,
                                                        Topic.PLAYBACK_TELEMETRY,
                                                        registry,
                                                        JOB)
                                                .keepingOnly(
                                                        "eventType",
                                                        Set.of(PlaybackEventType.START.name()))))
                        .returns(new AvroTypeInfo<>(PlaybackEvent.class))
                        .uid("compliance-decode-telemetry")
                        .name("decode playback.telemetry, keep starts");
        SingleOutputStreamOperator<Availability> versions =
                availability
                        .process(
                                new AvroDecoder<>(
                                        Availability.class,
                                        Topic.CATALOG_AVAILABILITY,
                                        registry,
                                        JOB))
                        .returns(new AvroTypeInfo<>(Availability.class))
                        .uid("compliance-decode-availability")
                        .name("decode catalog.availability");
        Outputs out = fromEvents(plays, versions, settings);
        return new Outputs(
                out.violations(),
                plays.getSideOutput(deadLetterTag)
                        .union(versions.getSideOutput(deadLetterTag), out.deadLetters()));
    }

    /**
     * Only playback starts are checked. From Kafka, the decoder keeps just these and does not
     * decode the others ({@link RecordDecoder#keepingOnly}); the filter stays for streams fed
     * directly.
     */
    static boolean isStart(PlaybackEvent e) {
        return e.getEventType() == PlaybackEventType.START;
    }

    /** The join from decoded, timestamped streams (tests feed this directly). */
    public static Outputs fromEvents(
            DataStream<PlaybackEvent> events,
            DataStream<Availability> availability,
            Settings settings) {
        SingleOutputStreamOperator<ComplianceViolation> violations =
                events.filter(ComplianceTopology::isStart)
                        .uid("compliance-starts")
                        .name("playback starts")
                        .keyBy(e -> e.getContentId() + "|" + e.getTerritory())
                        .connect(availability.keyBy(a -> a.getContentId() + "|" + a.getTerritory()))
                        .process(new EntitlementCheck(settings.retention()))
                        .returns(new AvroTypeInfo<>(ComplianceViolation.class))
                        .uid("compliance-entitlement")
                        .name("plays vs availability at their instant");
        DataStream<DeadLetter> late =
                violations
                        .getSideOutput(EntitlementCheck.LATE)
                        .map(
                                e ->
                                        DeadLetters.of(
                                                Topic.PLAYBACK_TELEMETRY.topicName(),
                                                e.getSessionId(),
                                                e,
                                                DeadLetterCategory.LATE,
                                                "playback start at "
                                                        + e.getAt()
                                                        + " arrived after its title's availability"
                                                        + " history was pruned: not checked",
                                                JOB))
                        .returns(new AvroTypeInfo<>(DeadLetter.class))
                        .uid("compliance-late")
                        .name("late plays");
        return new Outputs(violations, late);
    }
}
