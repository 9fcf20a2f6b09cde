package dev.marquee.jobs.compliance;

import dev.marquee.schema.Availability;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.PlaybackEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The event-time temporal join of playback starts with catalog.availability, per {@code
 * contentId|territory}: availability is kept as a versioned history (by effectiveFrom), and each
 * play is held until the watermark (the slower of the two inputs) passes its instant, so every
 * availability change up to that instant is known before the play is judged by {@link
 * EntitlementRule}. Never a lookup of "now".
 *
 * <p>Plays that arrive behind the watermark are judged at once when the history for their instant
 * is still complete (nothing before it was pruned): that happens whenever the telemetry input is
 * idle and availability alone moves the watermark. Only plays older than the pruned part of the
 * history go to {@link #LATE} (counted). Bounded state: versions superseded before {@code watermark
 * - retention} are pruned, a key whose last version is a final "unavailable" keeps only that
 * version {@code retention} after it, and pending plays leave state when decided.
 */
public class EntitlementCheck
        extends KeyedCoProcessFunction<String, PlaybackEvent, Availability, ComplianceViolation> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<PlaybackEvent> LATE =
            new OutputTag<>("late-plays", new AvroTypeInfo<>(PlaybackEvent.class));

    private final long retentionMs;

    private transient MapState<Long, Availability> versions;
    private transient MapState<Long, List<PlaybackEvent>> pending;
    private transient ValueState<Long> cleanupTimer;

    /** Versions before this instant were pruned: plays before it cannot be judged any more. */
    private transient ValueState<Long> prunedBefore;

    private transient Counter latePlays;
    private transient Counter lateAvailability;
    private transient Counter violations;

    public EntitlementCheck(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        versions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "availability-versions",
                                        Types.LONG,
                                        new AvroTypeInfo<>(Availability.class)));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending-plays",
                                        Types.LONG,
                                        Types.LIST(new AvroTypeInfo<>(PlaybackEvent.class))));
        cleanupTimer =
                getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup", Types.LONG));
        prunedBefore =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("pruned-before", Types.LONG));
        latePlays = getRuntimeContext().getMetricGroup().counter("latePlays");
        lateAvailability = getRuntimeContext().getMetricGroup().counter("lateAvailability");
        violations = getRuntimeContext().getMetricGroup().counter("violations");
    }

    @Override
    public void processElement1(PlaybackEvent play, Context ctx, Collector<ComplianceViolation> out)
            throws Exception {
        long at = play.getAt().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        if (at > watermark) {
            List<PlaybackEvent> same = pending.get(at);
            List<PlaybackEvent> updated = same == null ? new ArrayList<>() : new ArrayList<>(same);
            updated.add(play);
            pending.put(at, updated);
            ctx.timerService().registerEventTimeTimer(at);
        } else if (prunedBefore.value() == null || at >= prunedBefore.value()) {
            judge(play, history(), out);
        } else {
            latePlays.inc();
            ctx.output(LATE, play);
        }
    }

    @Override
    public void processElement2(
            Availability availability, Context ctx, Collector<ComplianceViolation> out)
            throws Exception {
        long from = availability.getEffectiveFrom().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        if (from <= watermark) {
            // Plays up to the watermark may already have been judged without it.
            lateAvailability.inc();
        }
        versions.put(from, availability);
        prune(watermark, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ComplianceViolation> out)
            throws Exception {
        List<PlaybackEvent> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            TreeMap<Long, Availability> history = history();
            for (PlaybackEvent play : due) {
                judge(play, history, out);
            }
        }
        Long cleanup = cleanupTimer.value();
        if (cleanup != null && cleanup == timestamp) {
            cleanupTimer.clear();
        }
        prune(timestamp, ctx);
    }

    private void judge(
            PlaybackEvent play,
            TreeMap<Long, Availability> history,
            Collector<ComplianceViolation> out) {
        EntitlementRule.Decision d =
                EntitlementRule.decide(
                        history,
                        play.getContentId(),
                        play.getTerritory(),
                        play.getAt().toEpochMilli(),
                        play.getFormatProfile());
        if (d.entitled()) {
            return;
        }
        violations.inc();
        out.collect(
                ComplianceViolation.newBuilder()
                        .setSessionId(play.getSessionId())
                        .setContentId(play.getContentId())
                        .setTerritory(play.getTerritory())
                        .setAt(play.getAt())
                        .setDeviceClass(play.getDeviceClass().name())
                        .setReason(d.reason())
                        .setMissing(d.missing())
                        .setLastRightId(d.lastRightId())
                        .setFormatProfile(
                                d.reason() == dev.marquee.schema.ViolationReason.FORMAT_NOT_LICENSED
                                        ? play.getFormatProfile()
                                        : null)
                        .build());
    }

    private TreeMap<Long, Availability> history() throws Exception {
        TreeMap<Long, Availability> history = new TreeMap<>();
        for (Map.Entry<Long, Availability> e : versions.entries()) {
            history.put(e.getKey(), e.getValue());
        }
        return history;
    }

    /**
     * Drops versions no play can need any more: everything before the version in force at {@code
     * watermark - retention}. Then, with nothing pending and a final "unavailable" as the latest
     * version, the whole key goes once that version is {@code retention} old.
     */
    private void prune(long watermark, Context ctx) throws Exception {
        TreeMap<Long, Availability> history = history();
        Long inForce =
                watermark == Long.MIN_VALUE ? null : history.floorKey(watermark - retentionMs);
        if (inForce != null && !history.headMap(inForce, false).isEmpty()) {
            for (Iterator<Long> it = history.headMap(inForce, false).keySet().iterator();
                    it.hasNext(); ) {
                versions.remove(it.next());
            }
            prunedBefore.update(inForce);
        }
        if (history.isEmpty() || !pending.isEmpty()) {
            return;
        }
        Availability latest = history.lastEntry().getValue();
        boolean terminal = !latest.getAvailable() && latest.getUntil() == null;
        if (!terminal) {
            return;
        }
        long dropAt = latest.getEffectiveFrom().toEpochMilli() + retentionMs;
        if (dropAt <= watermark) {
            // Keep the final version alone, never nothing: a play after it arriving late is
            // still WINDOW_CLOSED with the right that was missing, and a play before it is LATE
            // (its history is gone), never judged against an empty history as NO_RIGHT (which
            // reported entitled plays as violations when the watermark ran far ahead, as the
            // demo's accelerated availability makes it). One version per closed (title,
            // territory): bounded by the catalog.
            long from = latest.getEffectiveFrom().toEpochMilli();
            for (Iterator<Long> it = history.headMap(from, false).keySet().iterator();
                    it.hasNext(); ) {
                versions.remove(it.next());
            }
            prunedBefore.update(from);
            Long timer = cleanupTimer.value();
            if (timer != null) {
                ctx.timerService().deleteEventTimeTimer(timer);
                cleanupTimer.clear();
            }
        } else if (cleanupTimer.value() == null) {
            ctx.timerService().registerEventTimeTimer(dropAt);
            cleanupTimer.update(dropAt);
        }
    }
}
