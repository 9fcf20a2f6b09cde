package dev.marquee.jobs.rights;

import dev.marquee.rights.RightsEvaluator;
import dev.marquee.schema.Availability;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import dev.marquee.schema.RightsTransition;
import dev.marquee.schema.TransitionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The rights lifecycle of one title in one country (key {@code contentId|country}): holds the
 * rights that cover it, decides availability with the shared {@link RightsEvaluator} (the same code
 * as {@code rights eval}), and sets an event-time timer for the next instant the answer changes, so
 * a window years ahead opens exactly on time when event time gets there.
 *
 * <p>Outputs: a {@link RightsTransition} each time availability changes (main output), and the
 * current {@link Availability} with its {@code until} (side output {@link #AVAILABILITY}). Once no
 * right can grant anything any more (every window closed, or all revoked), the key's state and
 * timer are cleared.
 */
public class RightsLifecycle extends KeyedProcessFunction<String, RightEvent, RightsTransition> {
    private static final long serialVersionUID = 1L;

    /** How far ahead to look for the next change; windows beyond are found as time moves on. */
    static final Duration HORIZON = Duration.ofDays(366 * 30);

    public static final OutputTag<Availability> AVAILABILITY =
            new OutputTag<>("availability", new AvroTypeInfo<>(Availability.class));

    /**
     * The rights covering this (title, country), latest revision of each. One value, not a
     * MapState: a key holds a handful of rights, and on RocksDB a map iteration is a prefix seek
     * that gets slower with every SST file, while a value is one point lookup behind a bloom filter
     * (measured: the map made 2.5 million keys crawl at under 2,000 events a second).
     */
    private transient ValueState<List<RightEvent>> rights;

    /** The last state emitted: AVAILABLE, SUSPENDED or UNAVAILABLE; absent before the first. */
    private transient ValueState<String> status;

    private transient ValueState<Long> timer;

    @Override
    public void open(OpenContext openContext) {
        rights =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "covering-rights",
                                        new ListTypeInfo<>(new AvroTypeInfo<>(RightEvent.class))));
        status = getRuntimeContext().getState(new ValueStateDescriptor<>("status", Types.STRING));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
    }

    @Override
    public void processElement(RightEvent right, Context ctx, Collector<RightsTransition> out)
            throws Exception {
        List<RightEvent> held = rights.value();
        List<RightEvent> updated = new ArrayList<>(held == null ? 1 : held.size() + 1);
        if (held != null) {
            for (RightEvent r : held) {
                if (!r.getRightId().equals(right.getRightId())) {
                    updated.add(r);
                }
            }
        }
        if (right.getStatus() != RightStatus.REVOKED) {
            updated.add(right);
        }
        long watermark = ctx.timerService().currentWatermark();
        long now = Math.max(ctx.timestamp() == null ? watermark : ctx.timestamp(), watermark);
        reconcile(ctx.getCurrentKey(), updated, true, now, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RightsTransition> out)
            throws Exception {
        timer.clear();
        List<RightEvent> held = rights.value();
        reconcile(ctx.getCurrentKey(), held == null ? List.of() : held, false, timestamp, ctx, out);
    }

    private void reconcile(
            String key,
            List<RightEvent> held,
            boolean heldChanged,
            long now,
            Context ctx,
            Collector<RightsTransition> out)
            throws Exception {
        int bar = key.lastIndexOf('|');
        String contentId = key.substring(0, bar);
        String country = key.substring(bar + 1);
        RightsEvaluator evaluator = new RightsEvaluator();
        for (RightEvent r : held) {
            evaluator.accept(r);
        }
        Instant at = Instant.ofEpochMilli(now);
        RightsEvaluator.Decision decision = evaluator.evaluate(contentId, country, at);
        List<RightsEvaluator.Transition> upcoming =
                evaluator.size() == 0
                        ? List.of()
                        : evaluator.transitions(contentId, country, at, at.plus(HORIZON));
        RightsEvaluator.Transition next = upcoming.isEmpty() ? null : upcoming.get(0);

        String before = status.value();
        boolean was = "AVAILABLE".equals(before);
        if (was != decision.available() || before == null) {
            RightEvent deciding = find(held, decision.decidingRightId());
            if (was != decision.available()) {
                out.collect(
                        transition(
                                contentId,
                                country,
                                at,
                                decision,
                                deciding,
                                wasSuspended(
                                        evaluator, contentId, country, at, before, heldChanged)));
            }
            ctx.output(
                    AVAILABILITY,
                    Availability.newBuilder()
                            .setContentId(contentId)
                            .setTerritory(country)
                            .setAvailable(decision.available())
                            .setEffectiveFrom(at)
                            .setUntil(next == null ? null : next.at())
                            .setRightId(decision.decidingRightId())
                            .setFormatProfiles(formats(deciding))
                            .build());
        }

        Long scheduled = timer.value();
        long wanted = next == null ? Long.MIN_VALUE : next.at().toEpochMilli();
        if (scheduled != null && scheduled != wanted) {
            ctx.timerService().deleteEventTimeTimer(scheduled);
            timer.clear();
        }
        if (next != null && (scheduled == null || scheduled != wanted)) {
            ctx.timerService().registerEventTimeTimer(wanted);
            timer.update(wanted);
        }
        if (next == null && !decision.available()) {
            // Nothing will ever change again for this key: drop its state.
            rights.clear();
            status.clear();
            timer.clear();
        } else {
            if (heldChanged) {
                rights.update(held);
            }
            status.update(
                    decision.available()
                            ? "AVAILABLE"
                            : decision.reason() == RightsEvaluator.Reason.SUSPENDED
                                    ? "SUSPENDED"
                                    : "UNAVAILABLE");
        }
    }

    private RightsTransition transition(
            String contentId,
            String country,
            Instant at,
            RightsEvaluator.Decision decision,
            RightEvent right,
            boolean wasSuspended) {
        TransitionKind kind;
        String reason;
        if (decision.available()) {
            kind = wasSuspended ? TransitionKind.RESUMED : TransitionKind.OPENED;
            reason = wasSuspended ? "exception-end" : "window-start";
        } else if (decision.reason() == RightsEvaluator.Reason.SUSPENDED) {
            kind = TransitionKind.SUSPENDED;
            reason = "exception";
        } else {
            kind = TransitionKind.CLOSED;
            reason = decision.reason().code();
        }
        String rightId = decision.decidingRightId();
        return RightsTransition.newBuilder()
                .setContentId(contentId)
                .setTerritory(country)
                .setKind(kind)
                .setAt(at)
                .setRightId(rightId)
                .setRevision(right == null ? null : right.getRevision())
                .setReason(reason)
                .build();
    }

    /**
     * Whether availability comes back from an exception (RESUMED) rather than opening. On a timer
     * the rights are unchanged, so it is what the evaluator says just before the instant: a window
     * that starts inside an embargo goes from not-yet-open to suspended without a transition, and
     * then resumes (the last status emitted would still say not-yet-open). When a right arrives, it
     * is the status last emitted.
     */
    private static boolean wasSuspended(
            RightsEvaluator evaluator,
            String contentId,
            String country,
            Instant at,
            String before,
            boolean rightArrived) {
        if (rightArrived) {
            return "SUSPENDED".equals(before);
        }
        return evaluator.evaluate(contentId, country, at.minusMillis(1)).reason()
                == RightsEvaluator.Reason.SUSPENDED;
    }

    private static List<String> formats(RightEvent right) {
        return right == null ? List.of() : right.getFormatProfiles();
    }

    private static RightEvent find(List<RightEvent> held, String rightId) {
        if (rightId != null) {
            for (RightEvent r : held) {
                if (r.getRightId().equals(rightId)) {
                    return r;
                }
            }
        }
        return null;
    }
}
