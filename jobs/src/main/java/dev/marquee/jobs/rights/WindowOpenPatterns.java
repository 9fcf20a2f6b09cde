package dev.marquee.jobs.rights;

import dev.marquee.schema.AlertEvidence;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.RightsTransition;
import dev.marquee.schema.Sli;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.schema.TransitionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Flink CEP over rights transitions and asset readiness, per title and territory:
 *
 * <ul>
 *   <li>{@link #windowOpens}: every window opening, as the {@code rights.open} event the background
 *       article's workflow starts from (ingest, encode, pre-warm react to it), on the rights.open
 *       topic;
 *   <li>{@link #propagationBreaches}: a window opened while the title had no playable assets, and
 *       none arrived within the propagation SLO (30 minutes): an alert carrying the opening
 *       instant, the deadline and the target, raised when event time passes the deadline.
 * </ul>
 */
public final class WindowOpenPatterns {
    /** CONTRACT/article: rights.open to asset availability within 30 minutes. */
    public static final Duration PROPAGATION_SLO = Duration.ofMinutes(30);

    private WindowOpenPatterns() {}

    public static DataStream<RightsTransition> windowOpens(
            KeyedStream<TitleSignal, String> signals) {
        Pattern<TitleSignal, TitleSignal> opened =
                Pattern.<TitleSignal>begin("opened").where(kindIs(TitleSignal.Kind.WINDOW_OPENED));
        SingleOutputStreamOperator<RightsTransition> opens =
                CEP.pattern(signals, opened)
                        .inEventTime()
                        .sideOutputLateData(LATE_SIGNALS)
                        .process(new OpenedEvent())
                        .returns(new AvroTypeInfo<>(RightsTransition.class))
                        .uid("rights-cep-window-opens")
                        .name("CEP: window opened");
        // An opening caused by a right that itself arrived late carries that right's (late)
        // timestamp; CEP would drop it, so it becomes its rights.open event here instead.
        DataStream<RightsTransition> lateOpens =
                opens.getSideOutput(LATE_SIGNALS)
                        .filter(s -> s.kind == TitleSignal.Kind.WINDOW_OPENED)
                        .uid("rights-cep-late-openings")
                        .name("late openings")
                        .map(OpenedEvent::of)
                        .returns(new AvroTypeInfo<>(RightsTransition.class))
                        .uid("rights-cep-late-opening-to-rights-open")
                        .name("late opening to rights.open");
        return opens.union(lateOpens);
    }

    public static SingleOutputStreamOperator<SloAlert> propagationBreaches(
            KeyedStream<TitleSignal, String> signals, Duration slo) {
        Pattern<TitleSignal, TitleSignal> openedThenReady =
                Pattern.<TitleSignal>begin("opened")
                        .where(
                                new SimpleCondition<>() {
                                    @Override
                                    public boolean filter(TitleSignal s) {
                                        return s.kind == TitleSignal.Kind.WINDOW_OPENED
                                                && !s.assetsAlreadyReady;
                                    }
                                })
                        .followedBy("ready")
                        .where(kindIs(TitleSignal.Kind.ASSETS_READY))
                        .within(slo);
        return CEP.pattern(signals, openedThenReady)
                .inEventTime()
                .process(new PropagationAlert(slo))
                .returns(new AvroTypeInfo<>(SloAlert.class))
                .uid("rights-cep-propagation")
                .name("CEP: assets within " + slo.toMinutes() + " min of opening");
    }

    private static SimpleCondition<TitleSignal> kindIs(TitleSignal.Kind kind) {
        return new SimpleCondition<>() {
            @Override
            public boolean filter(TitleSignal s) {
                return s.kind == kind;
            }
        };
    }

    /**
     * Turns each opening into a {@code rights.open} event: the opening transition, which the encode
     * scheduler and CDN pre-warm react to.
     */
    static final class OpenedEvent extends PatternProcessFunction<TitleSignal, RightsTransition> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<TitleSignal>> match,
                Context ctx,
                Collector<RightsTransition> out) {
            out.collect(of(match.get("opened").get(0)));
        }

        static RightsTransition of(TitleSignal open) {
            return RightsTransition.newBuilder()
                    .setContentId(open.contentId)
                    .setTerritory(open.territory)
                    .setKind(TransitionKind.OPENED)
                    .setAt(Instant.ofEpochMilli(open.at))
                    .setRightId(open.rightId)
                    .setRevision(open.revision)
                    .setReason(
                            open.assetsAlreadyReady
                                    ? "rights.open (assets ready)"
                                    : "rights.open (assets pending)")
                    .build();
        }
    }

    /**
     * A match means assets arrived in time (nothing to say); a timed-out partial match means they
     * did not, which is the breach.
     */
    static final class PropagationAlert extends PatternProcessFunction<TitleSignal, SloAlert>
            implements TimedOutPartialMatchHandler<TitleSignal> {
        private static final long serialVersionUID = 1L;
        private final long sloMillis;

        PropagationAlert(Duration slo) {
            this.sloMillis = slo.toMillis();
        }

        @Override
        public void processMatch(
                Map<String, List<TitleSignal>> match, Context ctx, Collector<SloAlert> out) {
            // Assets became playable within the SLO: no alert, but the SLI value is recorded.
            TitleSignal open = match.get("opened").get(0);
            TitleSignal ready = match.get("ready").get(0);
            ctx.output(PROPAGATION, propagation(open, ready.at - open.at, sloMillis));
        }

        @Override
        public void processTimedOutMatch(Map<String, List<TitleSignal>> match, Context ctx) {
            TitleSignal open = match.get("opened").get(0);
            Instant deadline = Instant.ofEpochMilli(open.at + sloMillis);
            SloAlert alert =
                    SloAlert.newBuilder()
                            .setAlertId(
                                    "propagation:"
                                            + open.contentId
                                            + "|"
                                            + open.territory
                                            + ":"
                                            + open.at)
                            .setKind(AlertKind.PROPAGATION_BREACH)
                            .setSli("RIGHTS_PROPAGATION_MINUTES")
                            .setTerritory(open.territory)
                            .setContentId(open.contentId)
                            .setRaisedAt(deadline)
                            .setEvidence(
                                    List.of(
                                            AlertEvidence.newBuilder()
                                                    .setWindowStart(Instant.ofEpochMilli(open.at))
                                                    .setWindowEnd(deadline)
                                                    .setValue(sloMillis / 60_000.0)
                                                    .setTarget(sloMillis / 60_000.0)
                                                    .build()))
                            .setSummary(
                                    open.contentId
                                            + " opened in "
                                            + open.territory
                                            + " at "
                                            + Instant.ofEpochMilli(open.at)
                                            + " with no playable assets by "
                                            + deadline)
                            .build();
            ctx.output(TIMED_OUT, alert);
            ctx.output(PROPAGATION, propagation(open, sloMillis, sloMillis));
        }
    }

    /**
     * The rights-open to asset-available SLI, one value per window opening, for slo.metrics: the
     * minutes until assets arrived, 0 when they were ready before the window opened (see {@link
     * #alreadyReady}), or the SLO itself, marked breached, when they did not arrive in time.
     */
    public static final org.apache.flink.util.OutputTag<SloMetric> PROPAGATION =
            new org.apache.flink.util.OutputTag<>(
                    "propagation-minutes", new AvroTypeInfo<>(SloMetric.class));

    /** The SLI value of an opening whose assets were already playable. */
    public static SloMetric alreadyReady(TitleSignal open, Duration slo) {
        return propagation(open, 0, slo.toMillis());
    }

    static SloMetric propagation(TitleSignal open, long waitedMillis, long sloMillis) {
        return SloMetric.newBuilder()
                .setTerritory(open.territory)
                .setDeviceClass("all")
                .setPop(null)
                .setSli(Sli.RIGHTS_PROPAGATION_MINUTES)
                .setWindowStart(Instant.ofEpochMilli(open.at))
                .setWindowEnd(Instant.ofEpochMilli(open.at + waitedMillis))
                .setValue(waitedMillis / 60_000.0)
                .setTarget(sloMillis / 60_000.0)
                .setSamples(1)
                .setBreached(waitedMillis >= sloMillis)
                .build();
    }

    /** Signals behind the watermark when they reached CEP. */
    static final org.apache.flink.util.OutputTag<TitleSignal> LATE_SIGNALS =
            new org.apache.flink.util.OutputTag<>(
                    "late-signals",
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(TitleSignal.class));

    /** Where the breaches go: the timed-out side of the propagation pattern. */
    public static final org.apache.flink.util.OutputTag<SloAlert> TIMED_OUT =
            new org.apache.flink.util.OutputTag<>(
                    "propagation-breaches", new AvroTypeInfo<>(SloAlert.class));
}
