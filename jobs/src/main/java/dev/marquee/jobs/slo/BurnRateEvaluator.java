package dev.marquee.jobs.slo;

import dev.marquee.schema.AlertEvidence;
import dev.marquee.schema.SloMetric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Multi-window error-budget burn rates per ratio SLI series (playback success, start failures):
 * keeps each window's bad/total counts for the longest policy window, and after each window
 * computes burn = (bad / total) / budget over each policy's long and short windows. A policy FIREs
 * when both exceed its threshold and CLEARs after {@code quietWindows} consecutive windows without
 * firing (hysteresis, so a flapping series does not produce an alert storm). Signals are emitted on
 * changes only.
 *
 * <p>State is bounded: window counts older than the longest policy window are pruned on each
 * window, and a series silent for that long is forgotten entirely by a timer.
 */
public class BurnRateEvaluator extends KeyedProcessFunction<String, SloMetric, AlertSignal> {
    private static final long serialVersionUID = 1L;

    private final SloTargets targets;
    private final BurnRatePolicy fast;
    private final BurnRatePolicy slow;
    private final int quietWindows;
    private final long minSamples;
    private final long horizonMs;

    private transient MapState<Long, WindowCount> windows;
    private transient ValueState<BurnState> state;

    public BurnRateEvaluator(
            SloTargets targets,
            BurnRatePolicy fast,
            BurnRatePolicy slow,
            int quietWindows,
            long minSamples) {
        this.targets = targets;
        this.fast = fast;
        this.slow = slow;
        this.quietWindows = quietWindows;
        this.minSamples = minSamples;
        this.horizonMs = Math.max(fast.longWindow().toMillis(), slow.longWindow().toMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "burn-windows",
                                        Types.LONG,
                                        TypeInformation.of(WindowCount.class)));
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "burn-state", TypeInformation.of(BurnState.class)));
    }

    /** Whether a metric carries an error budget this evaluator can burn. */
    public static boolean hasBudget(SloTargets targets, SloMetric m) {
        return !Double.isNaN(targets.errorBudget(m.getSli()));
    }

    @Override
    public void processElement(SloMetric m, Context ctx, Collector<AlertSignal> out)
            throws Exception {
        double budget = targets.errorBudget(m.getSli());
        if (Double.isNaN(budget) || budget <= 0) {
            return;
        }
        long end = m.getWindowEnd().toEpochMilli();
        windows.put(
                m.getWindowStart().toEpochMilli(),
                new WindowCount(
                        end,
                        SloTargets.badEvents(m.getSli(), m.getValue(), m.getSamples()),
                        m.getSamples()));
        List<WindowCount> kept = new ArrayList<>();
        for (Iterator<Map.Entry<Long, WindowCount>> it = windows.iterator(); it.hasNext(); ) {
            WindowCount w = it.next().getValue();
            if (w.windowEnd <= end - horizonMs) {
                it.remove();
            } else {
                kept.add(w);
            }
        }
        BurnState s = state.value();
        if (s == null) {
            s = new BurnState();
        }
        s.lastWindowEnd = Math.max(s.lastWindowEnd, end);

        Burn fastBurn = burn(kept, end, fast, budget);
        Burn slowBurn = burn(kept, end, slow, budget);
        boolean fastNow = fastBurn.firing(fast, minSamples);
        boolean slowNow = slowBurn.firing(slow, minSamples);

        if (fastNow) {
            s.fastQuietWindows = 0;
            if (!s.fastFiring) {
                s.fastFiring = true;
                out.collect(signal(AlertSignal.Type.FIRE, m, end, fast, fastBurn));
            }
        } else if (s.fastFiring && ++s.fastQuietWindows >= quietWindows) {
            s.fastFiring = false;
            s.fastQuietWindows = 0;
            out.collect(signal(AlertSignal.Type.CLEAR, m, end, fast, fastBurn));
        }
        if (slowNow) {
            s.slowQuietWindows = 0;
            if (!s.slowFiring) {
                s.slowFiring = true;
                out.collect(signal(AlertSignal.Type.FIRE, m, end, slow, slowBurn));
            }
        } else if (s.slowFiring && ++s.slowQuietWindows >= quietWindows) {
            s.slowFiring = false;
            s.slowQuietWindows = 0;
            out.collect(signal(AlertSignal.Type.CLEAR, m, end, slow, slowBurn));
        }

        if (s.cleanupTimer == Long.MIN_VALUE) {
            s.cleanupTimer = s.lastWindowEnd + horizonMs;
            ctx.timerService().registerEventTimeTimer(s.cleanupTimer);
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertSignal> out)
            throws Exception {
        BurnState s = state.value();
        if (s == null) {
            return;
        }
        if (timestamp >= s.lastWindowEnd + horizonMs) {
            // Silent for the longest window: nothing left to burn. The lifecycle closes any open
            // alert for lack of data on its own schedule.
            windows.clear();
            state.clear();
            return;
        }
        s.cleanupTimer = s.lastWindowEnd + horizonMs;
        ctx.timerService().registerEventTimeTimer(s.cleanupTimer);
        state.update(s);
    }

    /** Burn rates of one policy at one instant. */
    record Burn(double longRate, long longTotal, double shortRate, long shortTotal) {
        boolean firing(BurnRatePolicy policy, long minSamples) {
            return longTotal >= minSamples
                    && shortTotal > 0
                    && longRate > policy.threshold()
                    && shortRate > policy.threshold();
        }
    }

    static Burn burn(List<WindowCount> kept, long end, BurnRatePolicy policy, double budget) {
        long longFrom = end - policy.longWindow().toMillis();
        long shortFrom = end - policy.shortWindow().toMillis();
        long longBad = 0, longTotal = 0, shortBad = 0, shortTotal = 0;
        for (WindowCount w : kept) {
            if (w.windowEnd > longFrom && w.windowEnd <= end) {
                longBad += w.bad;
                longTotal += w.total;
                if (w.windowEnd > shortFrom) {
                    shortBad += w.bad;
                    shortTotal += w.total;
                }
            }
        }
        return new Burn(
                longTotal == 0 ? 0 : (double) longBad / longTotal / budget,
                longTotal,
                shortTotal == 0 ? 0 : (double) shortBad / shortTotal / budget,
                shortTotal);
    }

    private static AlertSignal signal(
            AlertSignal.Type type, SloMetric m, long end, BurnRatePolicy policy, Burn burn) {
        List<AlertEvidence> evidence =
                List.of(
                        evidence(
                                end - policy.longWindow().toMillis(), end, burn.longRate(), policy),
                        evidence(
                                end - policy.shortWindow().toMillis(),
                                end,
                                burn.shortRate(),
                                policy));
        String summary =
                String.format(
                        "%s %s its error budget at %.1fx over %d min and %.1fx over %d min"
                                + " (threshold %.1fx)",
                        SloKeys.describe(m),
                        type == AlertSignal.Type.FIRE ? "is burning" : "no longer burns",
                        burn.longRate(),
                        policy.longWindow().toMinutes(),
                        burn.shortRate(),
                        policy.shortWindow().toMinutes(),
                        policy.threshold());
        return AlertSignal.of(
                SloKeys.metricKey(m),
                type,
                policy.kind(),
                end,
                SloKeys.draft(
                        type == AlertSignal.Type.FIRE
                                ? policy.kind()
                                : dev.marquee.schema.AlertKind.RECOVERY,
                        m,
                        Instant.ofEpochMilli(end),
                        evidence,
                        summary));
    }

    private static AlertEvidence evidence(long from, long to, double rate, BurnRatePolicy policy) {
        return AlertEvidence.newBuilder()
                .setWindowStart(Instant.ofEpochMilli(from))
                .setWindowEnd(Instant.ofEpochMilli(to))
                .setValue(rate)
                .setTarget(policy.threshold())
                .build();
    }
}
