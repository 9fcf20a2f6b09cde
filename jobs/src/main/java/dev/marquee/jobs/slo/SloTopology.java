package dev.marquee.jobs.slo;

import dev.marquee.io.DeadLetters;
import dev.marquee.io.KafkaRecord;
import dev.marquee.io.RecordDecoder;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.SessionEvent;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.time.EventTime;
import dev.marquee.topics.Topic;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The playback SLO job's dataflow, without sources or sinks:
 *
 * <pre>
 * playback.telemetry (event time = the player's, per-partition watermarks in the source)
 *   -> decode -> per session: SLI samples (start failures by timer, play time, rebuffers, ...)
 *   -> per territory x device (and territory x PoP for the CDN) tumbling event-time window:
 *      success rate, start failures, rebuffering ratio, license p95 (KLL sketch), cache hit ratio
 *   -> slo.metrics
 *   -> per SLI series: CEP sustained breach / healthy run + multi-window burn rates
 *   -> alert lifecycle (dedup, hysteresis, recovery naming its alert) -> slo.alerts
 * undecodable | late -> playback.telemetry.dlq
 * </pre>
 */
public final class SloTopology {
    public static final String JOB = "playback-slo";

    private SloTopology() {}

    /** Tunables; the defaults suit a real player fleet (one-minute windows). */
    public record Settings(
            Duration window,
            Duration outOfOrderness,
            Duration idleness,
            Duration startTimeout,
            Duration sessionTimeout,
            Duration sessionStateTtl,
            long minSamples,
            int sustainedWindows,
            int recoveryWindows,
            BurnRatePolicy fastBurn,
            BurnRatePolicy slowBurn,
            Duration staleAfter,
            SloTargets targets)
            implements Serializable {
        public static Settings defaults() {
            return new Settings(
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(30),
                    Duration.ofHours(2),
                    20,
                    3,
                    3,
                    BurnRatePolicy.fast(),
                    BurnRatePolicy.slow(),
                    Duration.ofMinutes(30),
                    SloTargets.defaults());
        }

        public Settings withIdleness(Duration idle) {
            return new Settings(
                    window,
                    outOfOrderness,
                    idle,
                    startTimeout,
                    sessionTimeout,
                    sessionStateTtl,
                    minSamples,
                    sustainedWindows,
                    recoveryWindows,
                    fastBurn,
                    slowBurn,
                    staleAfter,
                    targets);
        }

        public Settings withMinSamples(long min) {
            return new Settings(
                    window,
                    outOfOrderness,
                    idleness,
                    startTimeout,
                    sessionTimeout,
                    sessionStateTtl,
                    min,
                    sustainedWindows,
                    recoveryWindows,
                    fastBurn,
                    slowBurn,
                    staleAfter,
                    targets);
        }
    }

    /** What the topology produces. */
    public record Outputs(
            DataStream<SloMetric> metrics,
            DataStream<SloAlert> alerts,
            DataStream<DeadLetter> deadLetters) {}

    /** Per-partition watermarks on the Kafka record timestamp (the player's event time). */
    public static WatermarkStrategy<KafkaRecord> watermarks(Settings settings) {
        return EventTime.bounded(
                settings.outOfOrderness(),
                settings.idleness(),
                (record, previous) -> record.timestamp);
    }

    /**
     * The job's dataflow from raw Kafka records. playback.telemetry is keyed by session id, so the
     * raw records are shuffled by their Kafka key and decoded behind the shuffle, in the session
     * tracker: the bytes cross the network once and are decoded once. Events whose key is not their
     * session id (another producer's keying) are re-keyed by session after decoding and tracked by
     * a second tracker, so their sessions are right too, at the price of one more shuffle for them
     * alone. (A session whose events come under several different keys would be split between the
     * two; docs/slo.md.)
     */
    public static Outputs build(
            DataStream<KafkaRecord> raw, RegistryConfig registry, Settings settings) {
        SingleOutputStreamOperator<SliSample> keyed =
                raw.keyBy(SloTopology::recordKey)
                        .process(
                                SessionTracker.ofRecords(
                                        settings.startTimeout(),
                                        settings.sessionTimeout(),
                                        settings.sessionStateTtl(),
                                        new RecordDecoder<>(
                                                SessionEvent.class,
                                                Topic.PLAYBACK_TELEMETRY,
                                                registry,
                                                JOB),
                                        new RecordDecoder<>(
                                                PlaybackEvent.class,
                                                Topic.PLAYBACK_TELEMETRY,
                                                registry,
                                                JOB)))
                        .returns(TypeInformation.of(SliSample.class))
                        .uid("slo-session-tracker")
                        .name("decode + per-session SLI samples");
        SingleOutputStreamOperator<SliSample> rekeyed =
                track(
                        keyed.getSideOutput(SessionTracker.MISKEYED),
                        settings,
                        "slo-session-tracker-rekeyed",
                        "per-session SLI samples (re-keyed by session)");
        Outputs out =
                fromSamples(
                        preAggregate(keyed, settings, "slo-preaggregate")
                                .union(preAggregate(rekeyed, settings, "slo-preaggregate-rekeyed")),
                        keyed.getSideOutput(SessionTracker.LATE)
                                .union(rekeyed.getSideOutput(SessionTracker.LATE)),
                        settings);
        return new Outputs(
                out.metrics(),
                out.alerts(),
                keyed.getSideOutput(DeadLetters.tag()).union(out.deadLetters()));
    }

    /** The record key the raw records are shuffled by: the session id, by contract. */
    public static String recordKey(KafkaRecord record) {
        return record.key == null ? "" : record.key;
    }

    /** The topology from decoded, timestamped events (tests feed this directly). */
    public static Outputs fromEvents(DataStream<PlaybackEvent> events, Settings settings) {
        SingleOutputStreamOperator<SliSample> samples =
                track(events, settings, "slo-session-tracker", "per-session SLI samples");
        return fromSamples(
                preAggregate(samples, settings, "slo-preaggregate"),
                samples.getSideOutput(SessionTracker.LATE),
                settings);
    }

    /**
     * Sums a tracker's samples per group and window before the shuffle ({@link SliPreAggregator}).
     */
    private static DataStream<SliSample> preAggregate(
            DataStream<SliSample> samples, Settings settings, String uid) {
        return samples.transform(
                        "pre-aggregate per group and window",
                        TypeInformation.of(SliSample.class),
                        new SliPreAggregator(settings.window()))
                .uid(uid)
                .name("pre-aggregate per group and window");
    }

    private static SingleOutputStreamOperator<SliSample> track(
            DataStream<PlaybackEvent> events, Settings settings, String uid, String name) {
        return events.keyBy(PlaybackEvent::getSessionId)
                .process(
                        SessionTracker.ofEvents(
                                settings.startTimeout(),
                                settings.sessionTimeout(),
                                settings.sessionStateTtl()))
                .returns(TypeInformation.of(SliSample.class))
                .uid(uid)
                .name(name);
    }

    /** Windows, CEP and dead letters from the per-session samples and the late events. */
    private static Outputs fromSamples(
            DataStream<SliSample> samples, DataStream<PlaybackEvent> late, Settings settings) {
        OutputTag<SliSample> lateSamples =
                new OutputTag<>("late-sli-samples", TypeInformation.of(SliSample.class));
        SingleOutputStreamOperator<SloMetric> metrics =
                samples.keyBy(SliSample::group)
                        .window(TumblingEventTimeWindows.of(settings.window()))
                        .sideOutputLateData(lateSamples)
                        .aggregate(
                                new SliWindow.Sum(),
                                new SliWindow.Emit(settings.targets(), settings.minSamples()),
                                SliAccumulatorType.INSTANCE,
                                SliAccumulatorType.INSTANCE,
                                new AvroTypeInfo<>(SloMetric.class))
                        .uid("slo-window")
                        .name("SLIs per territory x device / PoP");

        DataStream<SloAlert> alerts = alerts(metrics, settings);

        DataStream<DeadLetter> lateEvents =
                late.map(
                                e ->
                                        DeadLetters.of(
                                                Topic.PLAYBACK_TELEMETRY.topicName(),
                                                e.getSessionId(),
                                                e,
                                                DeadLetterCategory.LATE,
                                                "event time "
                                                        + e.getAt()
                                                        + " is behind the watermark: its SLO"
                                                        + " window has closed",
                                                JOB))
                        .returns(new AvroTypeInfo<>(DeadLetter.class))
                        .uid("slo-late-events")
                        .name("late events");
        DataStream<DeadLetter> lateInWindow =
                metrics.getSideOutput(lateSamples)
                        .map(
                                s ->
                                        DeadLetters.of(
                                                Topic.PLAYBACK_TELEMETRY.topicName(),
                                                s.group(),
                                                null,
                                                DeadLetterCategory.LATE,
                                                "SLI sample late for its window: " + s,
                                                JOB))
                        .returns(new AvroTypeInfo<>(DeadLetter.class))
                        .uid("slo-late-samples")
                        .name("late for window");
        return new Outputs(metrics, alerts, lateEvents.union(lateInWindow));
    }

    /** CEP and burn rates over the metric series, then the alert lifecycle. */
    public static DataStream<SloAlert> alerts(DataStream<SloMetric> metrics, Settings settings) {
        long minSamples = settings.minSamples();
        SingleOutputStreamOperator<SloMetric> qualifying =
                metrics.filter(m -> m.getSamples() >= minSamples)
                        .uid("slo-qualifying")
                        .name("windows with enough traffic");
        KeyedStream<SloMetric, String> series = qualifying.keyBy(SloKeys::metricKey);

        DataStream<AlertSignal> sustained =
                AlertPatterns.sustainedBreaches(
                        series, settings.sustainedWindows(), settings.window());
        DataStream<AlertSignal> healthy =
                AlertPatterns.healthyRuns(series, settings.recoveryWindows(), settings.window());
        SloTargets targets = settings.targets();
        DataStream<AlertSignal> burn =
                metrics.filter(m -> BurnRateEvaluator.hasBudget(targets, m))
                        .uid("slo-budgeted")
                        .name("SLIs with an error budget")
                        .keyBy(SloKeys::metricKey)
                        .process(
                                new BurnRateEvaluator(
                                        targets,
                                        settings.fastBurn(),
                                        settings.slowBurn(),
                                        settings.recoveryWindows(),
                                        minSamples))
                        .returns(TypeInformation.of(AlertSignal.class))
                        .uid("slo-burn-rate")
                        .name("multi-window burn rates");
        DataStream<AlertSignal> heartbeats =
                qualifying
                        .map(
                                m ->
                                        AlertSignal.of(
                                                SloKeys.metricKey(m),
                                                AlertSignal.Type.HEARTBEAT,
                                                null,
                                                m.getWindowEnd().toEpochMilli(),
                                                null))
                        .returns(TypeInformation.of(AlertSignal.class))
                        .uid("slo-heartbeats")
                        .name("series heartbeats");
        return sustained
                .union(healthy, burn, heartbeats)
                .keyBy(s -> s.key)
                .process(new AlertLifecycle(settings.staleAfter()))
                .returns(new AvroTypeInfo<>(SloAlert.class))
                .uid("slo-alert-lifecycle")
                .name("alert lifecycle: dedup, recovery");
    }
}
