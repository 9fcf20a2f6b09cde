package dev.marquee.jobs.rights;

import dev.marquee.schema.AlertEvidence;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.SloAlert;
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
 *       article's workflow starts from (ingest, encode, pre-warm react to it);
 *   <li>{@link #propagationBreaches}: a window opened while the title had no playable assets, and
 *       none arrived within the propagation SLO (30 minutes): an alert carrying the opening
 *       instant, the deadline and the target, raised when event time passes the deadline.
 * </ul>
 */
public final class WindowOpenPatterns {
    /** CONTRACT/article: rights.open to asset availability within 30 minutes. */
    public static final Duration PROPAGATION_SLO = Duration.ofMinutes(30);

    private WindowOpenPatterns() {}

    public static DataStream<SloAlert> windowOpens(KeyedStream<TitleSignal, String> signals) {
        Pattern<TitleSignal, TitleSignal> opened =
                Pattern.<TitleSignal>begin("opened").where(kindIs(TitleSignal.Kind.WINDOW_OPENED));
        return CEP.pattern(signals, opened)
                .inEventTime()
                .process(new OpenedAlert())
                .returns(new AvroTypeInfo<>(SloAlert.class))
                .uid("rights-cep-window-opens")
                .name("CEP: window opened");
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

    /** Turns each opening into a WINDOW_OPENED record on slo.alerts (informational). */
    static final class OpenedAlert extends PatternProcessFunction<TitleSignal, SloAlert> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<TitleSignal>> match, Context ctx, Collector<SloAlert> out) {
            TitleSignal open = match.get("opened").get(0);
            out.collect(
                    SloAlert.newBuilder()
                            .setAlertId("open:" + open.key() + ":" + open.at)
                            .setKind(AlertKind.WINDOW_OPENED)
                            .setSli("RIGHTS_WINDOW")
                            .setTerritory(open.territory)
                            .setContentId(open.contentId)
                            .setRaisedAt(Instant.ofEpochMilli(open.at))
                            .setSummary(
                                    "rights.open: "
                                            + open.contentId
                                            + " opened in "
                                            + open.territory
                                            + " at "
                                            + Instant.ofEpochMilli(open.at)
                                            + " by "
                                            + open.rightId)
                            .build());
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
            // Assets became playable within the SLO: no alert.
        }

        @Override
        public void processTimedOutMatch(Map<String, List<TitleSignal>> match, Context ctx) {
            TitleSignal open = match.get("opened").get(0);
            Instant deadline = Instant.ofEpochMilli(open.at + sloMillis);
            SloAlert alert =
                    SloAlert.newBuilder()
                            .setAlertId("propagation:" + open.key() + ":" + open.at)
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
        }
    }

    /** Where the breaches go: the timed-out side of the propagation pattern. */
    public static final org.apache.flink.util.OutputTag<SloAlert> TIMED_OUT =
            new org.apache.flink.util.OutputTag<>(
                    "propagation-breaches", new AvroTypeInfo<>(SloAlert.class));
}
