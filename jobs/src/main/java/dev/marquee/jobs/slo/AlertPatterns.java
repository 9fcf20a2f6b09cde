package dev.marquee.jobs.slo;

import dev.marquee.schema.AlertEvidence;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.SloMetric;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Flink CEP over each SLI series (keyed by {@link SloKeys#metricKey}), in event time:
 *
 * <ul>
 *   <li>{@link #sustainedBreaches}: N breached windows in a row. Strict contiguity plus {@code
 *       within(N windows)} means the N windows are back to back: a healthy window or a window
 *       without enough traffic in between breaks the run, so a flapping SLI never completes one.
 *   <li>{@link #healthyRuns}: M healthy windows in a row, the evidence a recovery needs (the
 *       hysteresis: one good window does not end an alert).
 * </ul>
 *
 * Runs are matched with skip-past-last-event, so a long breach yields one match per N windows, not
 * one per window; the {@link AlertLifecycle} then turns matches into at most one open alert. A
 * partial run that times out (the series stopped, or the run broke) is counted in the metrics
 * {@code transientBreachRuns} / {@code brokenHealthyRuns}: flapping is visible without paging.
 */
public final class AlertPatterns {
    private AlertPatterns() {}

    public static Pattern<SloMetric, SloMetric> run(
            String name, boolean breached, int windows, Duration window) {
        return Pattern.<SloMetric>begin(name, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(
                        new SimpleCondition<>() {
                            @Override
                            public boolean filter(SloMetric m) {
                                return m.getBreached() == breached;
                            }
                        })
                .times(windows)
                .consecutive()
                .within(window.multipliedBy(windows));
    }

    public static SingleOutputStreamOperator<AlertSignal> sustainedBreaches(
            KeyedStream<SloMetric, String> series, int windows, Duration window) {
        return CEP.pattern(series, run("breached", true, windows, window))
                .inEventTime()
                .process(new RunSignal(AlertSignal.Type.FIRE, "breached", "transientBreachRuns"))
                .returns(TypeInformation.of(AlertSignal.class))
                .uid("slo-cep-sustained-breach")
                .name("CEP: " + windows + " breached windows in a row");
    }

    public static SingleOutputStreamOperator<AlertSignal> healthyRuns(
            KeyedStream<SloMetric, String> series, int windows, Duration window) {
        return CEP.pattern(series, run("healthy", false, windows, window))
                .inEventTime()
                .process(new RunSignal(AlertSignal.Type.CLEAR, "healthy", "brokenHealthyRuns"))
                .returns(TypeInformation.of(AlertSignal.class))
                .uid("slo-cep-healthy-run")
                .name("CEP: " + windows + " healthy windows in a row");
    }

    /** One signal per completed run, with every window of the run as evidence. */
    static final class RunSignal extends PatternProcessFunction<SloMetric, AlertSignal>
            implements TimedOutPartialMatchHandler<SloMetric> {
        private static final long serialVersionUID = 1L;
        private final AlertSignal.Type type;
        private final String stage;
        private final String timeoutMetric;
        private transient Counter timedOut;

        RunSignal(AlertSignal.Type type, String stage, String timeoutMetric) {
            this.type = type;
            this.stage = stage;
            this.timeoutMetric = timeoutMetric;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            super.open(openContext);
            timedOut = getRuntimeContext().getMetricGroup().counter(timeoutMetric);
        }

        @Override
        public void processMatch(
                Map<String, List<SloMetric>> match, Context ctx, Collector<AlertSignal> out) {
            List<SloMetric> run = match.get(stage);
            SloMetric first = run.get(0);
            SloMetric last = run.get(run.size() - 1);
            List<AlertEvidence> evidence = run.stream().map(SloKeys::evidence).toList();
            String values =
                    String.join(
                            ", ",
                            run.stream().map(m -> String.format("%.4g", m.getValue())).toList());
            String summary =
                    type == AlertSignal.Type.FIRE
                            ? SloKeys.describe(last)
                                    + " breached its target "
                                    + last.getTarget()
                                    + " for "
                                    + run.size()
                                    + " windows in a row from "
                                    + first.getWindowStart()
                                    + " ("
                                    + values
                                    + ")"
                            : SloKeys.describe(last)
                                    + " back within target "
                                    + last.getTarget()
                                    + " for "
                                    + run.size()
                                    + " windows in a row until "
                                    + last.getWindowEnd()
                                    + " ("
                                    + values
                                    + ")";
            out.collect(
                    AlertSignal.of(
                            SloKeys.metricKey(last),
                            type,
                            AlertKind.SUSTAINED_BREACH,
                            last.getWindowEnd().toEpochMilli(),
                            SloKeys.draft(
                                    type == AlertSignal.Type.FIRE
                                            ? AlertKind.SUSTAINED_BREACH
                                            : AlertKind.RECOVERY,
                                    last,
                                    last.getWindowEnd(),
                                    evidence,
                                    summary)));
        }

        @Override
        public void processTimedOutMatch(Map<String, List<SloMetric>> match, Context ctx) {
            timedOut.inc();
        }
    }
}
