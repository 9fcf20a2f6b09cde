package dev.marquee.jobs.rightsintake;

import dev.marquee.io.AvroDecoder;
import dev.marquee.io.DeadLetters;
import dev.marquee.io.KafkaRecord;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import dev.marquee.schema.TerritoryRightsCount;
import dev.marquee.time.EventTime;
import dev.marquee.topics.Topic;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The rights-intake job's dataflow, without sources or sinks so tests can feed it and read it:
 *
 * <pre>
 * raw rights.events (event time and watermarks from the source) -> decode (Avro via registry)
 *   -> validate -> per territory -> tumbling window count -> rights.intake.counts
 * undecodable | invalid | late -> rights.events.dlq
 * </pre>
 *
 * Event time is the Kafka record timestamp, with watermarks generated per partition in the source
 * ({@link #watermarks}): Marquee's producers stamp each rights record with its issuedAt, and
 * per-partition watermarks keep one fast partition from making the others' records late.
 *
 * <p>It is the first line of defence for the rights topic: what it dead-letters here is what the
 * rights lifecycle job will refuse too, and the per-territory counts show intake by territory.
 */
public final class RightsIntakeTopology {
    public static final String JOB = "rights-intake";

    private RightsIntakeTopology() {}

    /** Tunables; the defaults suit a real rights feed. */
    public record Settings(Duration window, Duration outOfOrderness, Duration idleness) {
        public static Settings defaults() {
            return new Settings(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofMinutes(1));
        }
    }

    /** What the topology produces. */
    public record Outputs(
            DataStream<TerritoryRightsCount> counts, DataStream<DeadLetter> deadLetters) {}

    /** Per-partition watermarks on the Kafka record timestamp, for the source. */
    public static WatermarkStrategy<KafkaRecord> watermarks(Settings settings) {
        return EventTime.bounded(
                settings.outOfOrderness(),
                settings.idleness(),
                (record, previous) -> record.timestamp);
    }

    public static Outputs build(
            DataStream<KafkaRecord> raw, RegistryConfig registry, Settings settings) {
        OutputTag<DeadLetter> deadLetterTag = DeadLetters.tag();

        SingleOutputStreamOperator<RightEvent> decoded =
                raw.process(new AvroDecoder<>(RightEvent.class, Topic.RIGHTS_EVENTS, registry, JOB))
                        .returns(new AvroTypeInfo<>(RightEvent.class))
                        .uid("rights-intake-decode")
                        .name("decode rights.events");

        SingleOutputStreamOperator<RightEvent> valid =
                decoded.process(new ValidateRights())
                        .returns(new AvroTypeInfo<>(RightEvent.class))
                        .uid("rights-intake-validate")
                        .name("validate rights");

        OutputTag<TerritoryEvent> lateTag =
                new OutputTag<>("late-territory-events", TypeInformation.of(TerritoryEvent.class));

        SingleOutputStreamOperator<TerritoryRightsCount> counts =
                valid.flatMap(
                                (RightEvent right,
                                        org.apache.flink.util.Collector<TerritoryEvent> out) -> {
                                    boolean revoked = right.getStatus() == RightStatus.REVOKED;
                                    for (String territory : right.getTerritory()) {
                                        out.collect(
                                                new TerritoryEvent(
                                                        territory, right.getRightId(), revoked));
                                    }
                                })
                        .returns(TerritoryEvent.class)
                        .uid("rights-intake-per-territory")
                        .name("one event per territory")
                        .keyBy(event -> event.territory)
                        .window(TumblingEventTimeWindows.of(settings.window()))
                        .sideOutputLateData(lateTag)
                        .aggregate(
                                new CountPerTerritory.Tally(),
                                new CountPerTerritory.Emit(),
                                TypeInformation.of(TerritoryTally.class),
                                TypeInformation.of(TerritoryTally.class),
                                new AvroTypeInfo<>(TerritoryRightsCount.class))
                        .uid("rights-intake-count")
                        .name("count per territory");

        // Validation already dead-letters late records; this catches what a window still finds
        // late, so even that edge is accounted for rather than dropped.
        DataStream<DeadLetter> lateInWindow =
                counts.getSideOutput(lateTag)
                        .map(
                                event ->
                                        DeadLetters.of(
                                                Topic.RIGHTS_EVENTS.topicName(),
                                                event.rightId,
                                                null,
                                                DeadLetterCategory.LATE,
                                                "late for its intake window in territory "
                                                        + event.territory,
                                                JOB))
                        .returns(new AvroTypeInfo<>(DeadLetter.class))
                        .uid("rights-intake-late-window")
                        .name("late for window");

        DataStream<DeadLetter> deadLetters =
                decoded.getSideOutput(deadLetterTag)
                        .union(valid.getSideOutput(deadLetterTag), lateInWindow);
        return new Outputs(counts, deadLetters);
    }
}
