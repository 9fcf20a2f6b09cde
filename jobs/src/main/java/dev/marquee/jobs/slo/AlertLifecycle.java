package dev.marquee.jobs.slo;

import dev.marquee.schema.AlertKind;
import dev.marquee.schema.SloAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns detector signals for one SLI series into slo.alerts: at most one open alert per kind
 * (further FIREs while it is open are suppressed, counted in {@code suppressedSignals}), and a
 * RECOVERY that names the alert it ends ({@code recovers}) when the detector CLEARs.
 *
 * <p>Signals come from several operators (two CEP patterns, the burn-rate evaluator) whose outputs
 * interleave arbitrarily, so they are buffered and applied in event-time order when the watermark
 * passes them: a breach and the recovery after it can never be applied the wrong way round.
 *
 * <p>An open alert whose series goes silent (no qualifying window for {@code staleAfter}, e.g. the
 * traffic stopped) is closed with a RECOVERY that says so, and the key's state is then empty; with
 * no alert open nothing is kept at all.
 */
public class AlertLifecycle extends KeyedProcessFunction<String, AlertSignal, SloAlert> {
    private static final long serialVersionUID = 1L;

    private final long staleAfterMs;

    private transient MapState<String, SloAlert> open;
    private transient MapState<Long, List<AlertSignal>> pending;
    private transient ValueState<Long> lastSeen;
    private transient ValueState<Long> staleTimer;
    private transient Counter suppressed;

    public AlertLifecycle(Duration staleAfter) {
        this.staleAfterMs = staleAfter.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        open =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "open-alerts",
                                        Types.STRING,
                                        new AvroTypeInfo<>(SloAlert.class)));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending-signals",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(AlertSignal.class))));
        lastSeen =
                getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Types.LONG));
        staleTimer =
                getRuntimeContext().getState(new ValueStateDescriptor<>("stale-timer", Types.LONG));
        suppressed = getRuntimeContext().getMetricGroup().counter("suppressedSignals");
    }

    @Override
    public void processElement(AlertSignal signal, Context ctx, Collector<SloAlert> out)
            throws Exception {
        if (signal.type == AlertSignal.Type.HEARTBEAT) {
            if (!open.isEmpty()) {
                Long seen = lastSeen.value();
                lastSeen.update(seen == null ? signal.at : Math.max(seen, signal.at));
            }
            return;
        }
        if (signal.at <= ctx.timerService().currentWatermark()) {
            apply(signal, ctx, out);
            return;
        }
        List<AlertSignal> atThatTime = pending.get(signal.at);
        List<AlertSignal> updated =
                atThatTime == null ? new ArrayList<>() : new ArrayList<>(atThatTime);
        updated.add(signal);
        pending.put(signal.at, updated);
        ctx.timerService().registerEventTimeTimer(signal.at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SloAlert> out)
            throws Exception {
        List<AlertSignal> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            // Within one instant, clears first: an alert that ends and a new one that starts at
            // the same window boundary stay two alerts.
            for (AlertSignal s : due) {
                if (s.type == AlertSignal.Type.CLEAR) {
                    apply(s, ctx, out);
                }
            }
            for (AlertSignal s : due) {
                if (s.type == AlertSignal.Type.FIRE) {
                    apply(s, ctx, out);
                }
            }
        }
        Long stale = staleTimer.value();
        if (stale != null && stale == timestamp) {
            staleTimer.clear();
            Long seen = lastSeen.value();
            if (seen != null && timestamp >= seen + staleAfterMs) {
                for (SloAlert alert : snapshot()) {
                    out.collect(
                            recovery(
                                    alert,
                                    timestamp,
                                    List.of(),
                                    alert.getSli()
                                            + " series "
                                            + ctx.getCurrentKey()
                                            + " had no qualifying window since "
                                            + Instant.ofEpochMilli(seen)
                                            + ": alert "
                                            + alert.getAlertId()
                                            + " closed for lack of data, not on evidence"));
                }
                open.clear();
                lastSeen.clear();
            } else if (!open.isEmpty()) {
                armStaleTimer(ctx);
            }
        }
    }

    private void apply(AlertSignal signal, Context ctx, Collector<SloAlert> out) throws Exception {
        String kind = signal.kind.name();
        SloAlert current = open.get(kind);
        if (signal.type == AlertSignal.Type.FIRE) {
            if (current != null) {
                suppressed.inc();
                return;
            }
            SloAlert alert = SloAlert.newBuilder(signal.draft).build();
            alert.setAlertId(
                    kind
                            + ":"
                            + signal.key
                            + ":"
                            + (alert.getEvidence().isEmpty()
                                    ? Instant.ofEpochMilli(signal.at)
                                    : alert.getEvidence().get(0).getWindowStart()));
            out.collect(alert);
            open.put(kind, alert);
            Long seen = lastSeen.value();
            lastSeen.update(seen == null ? signal.at : Math.max(seen, signal.at));
            if (staleTimer.value() == null) {
                armStaleTimer(ctx);
            }
        } else if (current != null) {
            out.collect(
                    recovery(
                            current,
                            signal.at,
                            signal.draft.getEvidence(),
                            "recovered from "
                                    + current.getAlertId()
                                    + ": "
                                    + signal.draft.getSummary()));
            open.remove(kind);
            if (open.isEmpty()) {
                lastSeen.clear();
                Long stale = staleTimer.value();
                if (stale != null) {
                    ctx.timerService().deleteEventTimeTimer(stale);
                    staleTimer.clear();
                }
            }
        }
    }

    private void armStaleTimer(Context ctx) throws Exception {
        long at = lastSeen.value() + staleAfterMs;
        ctx.timerService().registerEventTimeTimer(at);
        staleTimer.update(at);
    }

    private List<SloAlert> snapshot() throws Exception {
        List<SloAlert> alerts = new ArrayList<>();
        open.values().forEach(alerts::add);
        return alerts;
    }

    private static SloAlert recovery(
            SloAlert of, long at, List<dev.marquee.schema.AlertEvidence> evidence, String summary) {
        return SloAlert.newBuilder()
                .setAlertId("RECOVERY:" + of.getAlertId())
                .setKind(AlertKind.RECOVERY)
                .setRecovers(of.getAlertId())
                .setSli(of.getSli())
                .setTerritory(of.getTerritory())
                .setDeviceClass(of.getDeviceClass())
                .setPop(of.getPop())
                .setContentId(of.getContentId())
                .setRaisedAt(Instant.ofEpochMilli(at))
                .setEvidence(evidence)
                .setSummary(summary)
                .build();
    }
}
