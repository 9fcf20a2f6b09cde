package dev.marquee.jobs.rights;

import dev.marquee.io.AvroDecoder;
import dev.marquee.io.DeadLetters;
import dev.marquee.io.KafkaRecord;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.AuditKind;
import dev.marquee.schema.Availability;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.EncodeResult;
import dev.marquee.schema.EncodeStatus;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightsAuditRecord;
import dev.marquee.schema.RightsTransition;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.schema.TransitionKind;
import dev.marquee.time.Clock;
import dev.marquee.time.ClockWatermarks;
import dev.marquee.time.WallClock;
import dev.marquee.topics.Topic;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The rights lifecycle job's dataflow, without sources or sinks:
 *
 * <pre>
 * rights.events -> decode -> check (malformed: DLQ; late: applied, audited)
 *   -> [content gate: known in catalog.titles, else DLQ after a grace]
 *   -> per right: revision rules, fan out per country        (audit: accepted/revised/revoked/ignored)
 *   -> per (title, country): lifecycle with event-time timers -> rights.transitions
 *                                                             -> catalog.availability
 *   transitions + encode.results -> per title: readiness -> CEP: rights.open
 *                                                        -> CEP: no assets 30 min after opening -> slo.alerts
 *                                                        -> propagation minutes -> slo.metrics
 *   every change -> per title: SHA-256 chain -> rights.audit
 * </pre>
 *
 * <p><b>Time.</b> Event time is the Kafka record timestamp (a right's issuedAt) and the watermark
 * also follows a {@link Clock} ({@link ClockWatermarks}), so windows years ahead open when the
 * clock gets there even if no record arrives: the wall clock in production, an accelerated one in
 * the demo. A transition is emitted when the watermark passes its instant, never before.
 *
 * <p><b>One semantic core.</b> Availability is decided by {@link
 * dev.marquee.rights.RightsEvaluator}, the code behind {@code rights eval}; the job only decides
 * when to ask it.
 */
public final class RightsLifecycleTopology {
    public static final String JOB = "rights-lifecycle";

    private RightsLifecycleTopology() {}

    /**
     * Tunables.
     *
     * @param outOfOrderness how far rights may arrive out of order before they count as late
     * @param clockLag how far behind the clock the watermark stays (how late a record may be,
     *     relative to the clock, and still be on time)
     * @param clock what drives event time when no record arrives
     * @param propagationSlo rights-open to asset-available target
     * @param unknownContentGrace how long a right for a title not in catalog.titles waits for it
     * @param requireKnownContent whether to check rights against catalog.titles at all
     */
    public record Settings(
            Duration outOfOrderness,
            Duration clockLag,
            Clock clock,
            Duration propagationSlo,
            Duration unknownContentGrace,
            boolean requireKnownContent)
            implements Serializable {
        public static Settings defaults() {
            return new Settings(
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(2),
                    WallClock.INSTANCE,
                    WindowOpenPatterns.PROPAGATION_SLO,
                    Duration.ofDays(1),
                    true);
        }

        public Settings withClock(Clock clock, Duration clockLag) {
            return new Settings(
                    outOfOrderness,
                    clockLag,
                    clock,
                    propagationSlo,
                    unknownContentGrace,
                    requireKnownContent);
        }

        public Settings withKnownContent(boolean required, Duration grace) {
            return new Settings(outOfOrderness, clockLag, clock, propagationSlo, grace, required);
        }

        /** Watermarks on the Kafka record timestamp that also follow the clock. */
        public WatermarkStrategy<KafkaRecord> watermarks() {
            return ClockWatermarks.followingClock(
                    outOfOrderness, clockLag, clock, (record, previous) -> record.timestamp);
        }
    }

    /** What the topology produces. */
    public record Outputs(
            DataStream<RightsTransition> transitions,
            DataStream<Availability> availability,
            DataStream<RightsAuditRecord> audit,
            DataStream<RightsTransition> opens,
            DataStream<SloAlert> alerts,
            DataStream<SloMetric> propagation,
            DataStream<DeadLetter> deadLetters) {}

    /**
     * Decodes a topic's raw records; undecodable ones go to the returned stream's DLQ side output.
     */
    public static <T extends org.apache.avro.specific.SpecificRecordBase>
            SingleOutputStreamOperator<T> decode(
                    DataStream<KafkaRecord> raw,
                    Class<T> type,
                    Topic topic,
                    RegistryConfig registry) {
        return raw.process(new AvroDecoder<>(type, topic, registry, JOB))
                .returns(new AvroTypeInfo<>(type))
                .uid(JOB + "-decode-" + topic.topicName())
                .name("decode " + topic.topicName());
    }

    /**
     * The dataflow.
     *
     * @param rights decoded rights, with event time and watermarks ({@link Settings#watermarks()})
     * @param titles catalog.titles, or null to skip the known-content check
     * @param encodeResults encode.results (asset readiness), or null when nothing feeds it yet
     */
    public static Outputs build(
            DataStream<RightEvent> rights,
            DataStream<CanonicalTitle> titles,
            DataStream<EncodeResult> encodeResults,
            Settings settings) {
        SingleOutputStreamOperator<RightEvent> checked =
                rights.process(new CheckRights(JOB))
                        .returns(new AvroTypeInfo<>(RightEvent.class))
                        .uid(JOB + "-check")
                        .name("check rights");
        DataStream<DeadLetter> deadLetters = checked.getSideOutput(DeadLetters.tag());

        DataStream<RightEvent> known = checked;
        if (titles != null && settings.requireKnownContent()) {
            SingleOutputStreamOperator<RightEvent> gated =
                    checked.keyBy(RightEvent::getContentId)
                            .connect(titles.keyBy(CanonicalTitle::getContentId))
                            .process(new ContentGate(settings.unknownContentGrace(), JOB))
                            .returns(new AvroTypeInfo<>(RightEvent.class))
                            .uid(JOB + "-content-gate")
                            .name("known content");
            deadLetters = deadLetters.union(gated.getSideOutput(DeadLetters.tag()));
            known = gated;
        }

        SingleOutputStreamOperator<RightEvent> perCountry =
                known.keyBy(RightEvent::getRightId)
                        .process(new RightFanOut())
                        .returns(new AvroTypeInfo<>(RightEvent.class))
                        .uid(JOB + "-fanout")
                        .name("revisions, one copy per country");

        SingleOutputStreamOperator<RightsTransition> transitions =
                perCountry
                        .keyBy(r -> r.getContentId() + "|" + r.getTerritory().get(0))
                        .process(new RightsLifecycle())
                        .returns(new AvroTypeInfo<>(RightsTransition.class))
                        .uid(JOB + "-lifecycle")
                        .name("lifecycle per title and country");
        DataStream<Availability> availability =
                transitions.getSideOutput(RightsLifecycle.AVAILABILITY);

        // CEP: rights.open and the propagation SLO, per title.
        DataStream<TitleSignal> opened =
                transitions
                        .filter(t -> t.getKind() == TransitionKind.OPENED)
                        .uid(JOB + "-openings")
                        .name("openings")
                        .map(RightsLifecycleTopology::openedSignal)
                        .returns(TypeInformation.of(TitleSignal.class))
                        .uid(JOB + "-opening-signal")
                        .name("opening signal");
        DataStream<TitleSignal> signals = opened;
        if (encodeResults != null) {
            signals =
                    signals.union(
                            encodeResults
                                    .filter(e -> e.getStatus() == EncodeStatus.SUCCEEDED)
                                    .uid(JOB + "-succeeded-encodes")
                                    .name("succeeded encodes")
                                    .map(RightsLifecycleTopology::readySignal)
                                    .returns(TypeInformation.of(TitleSignal.class))
                                    .uid(JOB + "-assets-ready-signal")
                                    .name("assets-ready signal"));
        }
        SingleOutputStreamOperator<TitleSignal> tracked =
                signals.keyBy(TitleSignal::key)
                        .process(new ReadinessTracker())
                        .returns(TypeInformation.of(TitleSignal.class))
                        .uid(JOB + "-readiness")
                        .name("asset readiness per title");
        KeyedStream<TitleSignal, String> keyedSignals = tracked.keyBy(TitleSignal::key);
        DataStream<RightsTransition> opens = WindowOpenPatterns.windowOpens(keyedSignals);
        SingleOutputStreamOperator<SloAlert> breaches =
                WindowOpenPatterns.propagationBreaches(keyedSignals, settings.propagationSlo());
        Duration slo = settings.propagationSlo();
        DataStream<SloMetric> propagation =
                breaches.getSideOutput(WindowOpenPatterns.PROPAGATION)
                        .union(
                                tracked.filter(
                                                s ->
                                                        s.kind == TitleSignal.Kind.WINDOW_OPENED
                                                                && s.assetsAlreadyReady)
                                        .uid(JOB + "-opened-with-assets-ready")
                                        .name("opened with assets ready")
                                        .map(s -> WindowOpenPatterns.alreadyReady(s, slo))
                                        .returns(new AvroTypeInfo<>(SloMetric.class))
                                        .uid(JOB + "-propagation-0-min")
                                        .name("propagation 0 min"));
        DataStream<SloAlert> alerts = breaches.getSideOutput(WindowOpenPatterns.TIMED_OUT);

        // The audit chain: every decision and every transition, per title.
        DataStream<AuditEntry> changes =
                perCountry
                        .getSideOutput(RightFanOut.AUDIT)
                        .union(
                                checked.getSideOutput(CheckRights.LATE),
                                transitions
                                        .map(RightsLifecycleTopology::auditOf)
                                        .returns(TypeInformation.of(AuditEntry.class))
                                        .uid(JOB + "-transition-to-audit-entry")
                                        .name("transition to audit entry"));
        DataStream<RightsAuditRecord> audit =
                changes.keyBy(e -> e.contentId)
                        .process(new AuditChainer())
                        .returns(new AvroTypeInfo<>(RightsAuditRecord.class))
                        .uid(JOB + "-audit-chain")
                        .name("audit hash chain per title");

        return new Outputs(
                transitions, availability, audit, opens, alerts, propagation, deadLetters);
    }

    static TitleSignal openedSignal(RightsTransition t) {
        TitleSignal s =
                new TitleSignal(
                        t.getContentId(),
                        t.getTerritory(),
                        TitleSignal.Kind.WINDOW_OPENED,
                        t.getAt().toEpochMilli(),
                        t.getRightId());
        s.revision = t.getRevision();
        return s;
    }

    static TitleSignal readySignal(EncodeResult e) {
        return new TitleSignal(
                e.getContentId(),
                "*",
                TitleSignal.Kind.ASSETS_READY,
                e.getFinishedAt().toEpochMilli(),
                null);
    }

    static AuditEntry auditOf(RightsTransition t) {
        return new AuditEntry(
                t.getContentId(),
                AuditKind.TRANSITION,
                t.getRightId(),
                t.getRevision(),
                t.getTerritory(),
                t.getKind() + " (" + t.getReason() + ")",
                t.getAt().toEpochMilli());
    }
}
