package dev.marquee.jobs.rights;

import dev.marquee.io.DeadLetters;
import dev.marquee.io.KafkaIO;
import dev.marquee.io.KafkaRecord;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.schema.Availability;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.EncodeResult;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightsAuditRecord;
import dev.marquee.schema.RightsTransition;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.time.AcceleratedClock;
import dev.marquee.time.ClockWatermarks;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Runs every title's rights windows: opens and closes them on time in every country, keeps
 * catalog.availability current and the audit chain growing. Thin: it wires Kafka to {@link
 * RightsLifecycleTopology}.
 *
 * <pre>
 * args: the common ones (see RightsIntakeJob), plus
 *       [--clock wall|accelerated] [--clock-start 2026-11-20T00:00:00Z] [--clock-speed 1000000]
 *       [--clock-anchor ISO instant (real time the accelerated clock starts running; default now)]
 *       [--clock-lag-ms 120000] [--require-known-content true] [--unknown-content-grace-ms 86400000]
 * </pre>
 */
public final class RightsLifecycleJob {
    private RightsLifecycleJob() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.fromArgs(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        settings.pipelineConfiguration());
        wire(env, settings, topologySettings(ParameterTool.fromArgs(args)));
        env.execute(RightsLifecycleTopology.JOB);
    }

    /** The lifecycle's own flags: which clock, how late, whether to check content. */
    public static RightsLifecycleTopology.Settings topologySettings(ParameterTool params) {
        RightsLifecycleTopology.Settings settings = RightsLifecycleTopology.Settings.defaults();
        Duration lag =
                Duration.ofMillis(params.getLong("clock-lag-ms", settings.clockLag().toMillis()));
        String clock = params.get("clock", "wall");
        switch (clock) {
            case "wall" -> settings = settings.withClock(settings.clock(), lag);
            case "accelerated" -> {
                Instant start = Instant.parse(params.getRequired("clock-start"));
                double speed = params.getDouble("clock-speed");
                Instant anchor =
                        params.has("clock-anchor")
                                ? Instant.parse(params.get("clock-anchor"))
                                : Instant.now();
                settings = settings.withClock(AcceleratedClock.anchored(start, speed, anchor), lag);
            }
            default ->
                    throw new IllegalArgumentException(
                            "--clock must be wall or accelerated, got " + clock);
        }
        return settings.withKnownContent(
                params.getBoolean("require-known-content", true),
                Duration.ofMillis(
                        params.getLong(
                                "unknown-content-grace-ms",
                                settings.unknownContentGrace().toMillis())));
    }

    /** Adds the job's sources, topology and sinks to an environment (demo, bench and tests). */
    public static RightsLifecycleTopology.Outputs wire(
            StreamExecutionEnvironment env,
            JobSettings settings,
            RightsLifecycleTopology.Settings topology) {
        settings.configure(env);
        KafkaIO kafka = settings.kafka();
        String job = RightsLifecycleTopology.JOB;
        OffsetsInitializer start = settings.startOffsets();
        String group = settings.unique("marquee-" + job);

        DataStream<KafkaRecord> rawRights =
                env.fromSource(
                                kafka.source(Topic.RIGHTS_EVENTS, group, start),
                                topology.watermarks(),
                                "rights.events")
                        .uid(job + "-rights-source");
        SingleOutputStreamOperator<RightEvent> rights =
                RightsLifecycleTopology.decode(
                        rawRights, RightEvent.class, Topic.RIGHTS_EVENTS, settings.registry());
        DataStream<DeadLetter> rightsLetters = rights.getSideOutput(DeadLetters.tag());

        SingleOutputStreamOperator<CanonicalTitle> titles = null;
        if (topology.requireKnownContent()) {
            // The whole compacted catalog, every time: a title known once stays known.
            DataStream<KafkaRecord> rawTitles =
                    env.fromSource(
                                    kafka.source(
                                            Topic.CATALOG_TITLES,
                                            group,
                                            OffsetsInitializer.committedOffsets(
                                                    OffsetResetStrategy.EARLIEST)),
                                    topology.watermarks(),
                                    "catalog.titles")
                            .uid(job + "-titles-source");
            titles =
                    RightsLifecycleTopology.decode(
                            rawTitles,
                            CanonicalTitle.class,
                            Topic.CATALOG_TITLES,
                            settings.registry());
            rightsLetters = rightsLetters.union(titles.getSideOutput(DeadLetters.tag()));
        }

        // Encode results carry their finish instant; the source only stamps arrival, so event
        // time is taken from the record after decoding, and the clock keeps it moving.
        DataStream<KafkaRecord> rawEncodes =
                env.fromSource(
                                kafka.source(Topic.ENCODE_RESULTS, group, start),
                                WatermarkStrategy.noWatermarks(),
                                "encode.results")
                        .uid(job + "-encode-results-source");
        SingleOutputStreamOperator<EncodeResult> encodeDecoded =
                RightsLifecycleTopology.decode(
                        rawEncodes, EncodeResult.class, Topic.ENCODE_RESULTS, settings.registry());
        DataStream<EncodeResult> encodes =
                encodeDecoded
                        .assignTimestampsAndWatermarks(
                                ClockWatermarks.followingClock(
                                        topology.outOfOrderness(),
                                        topology.clockLag(),
                                        topology.clock(),
                                        (EncodeResult e, long previous) ->
                                                e.getFinishedAt().toEpochMilli()))
                        .uid(job + "-encode-results-time")
                        .name("encode.results event time");

        RightsLifecycleTopology.Outputs out =
                RightsLifecycleTopology.build(rights, titles, encodes, topology);

        String tx = "marquee-" + job + "-";
        out.transitions()
                .sinkTo(
                        kafka.sink(
                                Topic.RIGHTS_TRANSITIONS.topicName(),
                                RightsTransition.class,
                                t -> t.getContentId() + "|" + t.getTerritory(),
                                settings.unique(tx + "transitions"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid(job + "-transitions-sink")
                .name("rights.transitions");
        out.availability()
                .sinkTo(
                        kafka.sink(
                                Topic.CATALOG_AVAILABILITY.topicName(),
                                Availability.class,
                                a -> a.getContentId() + "|" + a.getTerritory(),
                                settings.unique(tx + "availability"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid(job + "-availability-sink")
                .name("catalog.availability");
        out.audit()
                .sinkTo(
                        kafka.sink(
                                Topic.RIGHTS_AUDIT.topicName(),
                                RightsAuditRecord.class,
                                RightsAuditRecord::getContentId,
                                settings.unique(tx + "audit"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid(job + "-audit-sink")
                .name("rights.audit");
        out.opens()
                .sinkTo(
                        kafka.sink(
                                Topic.RIGHTS_OPEN.topicName(),
                                RightsTransition.class,
                                t -> t.getContentId() + "|" + t.getTerritory(),
                                settings.unique(tx + "open"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid(job + "-open-sink")
                .name("rights.open");
        out.alerts()
                .sinkTo(
                        kafka.sink(
                                Topic.SLO_ALERTS.topicName(),
                                SloAlert.class,
                                SloAlert::getAlertId,
                                settings.unique(tx + "alerts"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid(job + "-alerts-sink")
                .name("slo.alerts");
        out.propagation()
                .sinkTo(
                        kafka.sink(
                                Topic.SLO_METRICS.topicName(),
                                SloMetric.class,
                                m -> m.getTerritory() + "|" + m.getDeviceClass() + "|" + m.getSli(),
                                settings.unique(tx + "metrics"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid(job + "-metrics-sink")
                .name("slo.metrics");
        out.deadLetters()
                .union(rightsLetters)
                .sinkTo(
                        kafka.sink(
                                Topic.RIGHTS_EVENTS.dlqName(),
                                DeadLetter.class,
                                DeadLetter::getKey,
                                settings.unique(tx + "dlq"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid(job + "-dlq-sink")
                .name("rights.events.dlq");
        encodeDecoded
                .getSideOutput(DeadLetters.tag())
                .sinkTo(
                        kafka.sink(
                                Topic.ENCODE_RESULTS.dlqName(),
                                DeadLetter.class,
                                DeadLetter::getKey,
                                settings.unique(tx + "encode-dlq"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid(job + "-encode-dlq-sink")
                .name("encode.results.dlq");
        return out;
    }
}
