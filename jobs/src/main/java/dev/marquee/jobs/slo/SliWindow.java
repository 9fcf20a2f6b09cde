package dev.marquee.jobs.slo;

import dev.marquee.schema.Sli;
import dev.marquee.schema.SloMetric;
import java.time.Instant;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** The per-window SLI computation: an incremental aggregate and the emit of one metric per SLI. */
public final class SliWindow {
    private SliWindow() {}

    /** Sums samples into one {@link SliAccumulator} per group and window (no event buffer). */
    public static class Sum
            implements AggregateFunction<SliSample, SliAccumulator, SliAccumulator> {
        private static final long serialVersionUID = 1L;

        @Override
        public SliAccumulator createAccumulator() {
            return new SliAccumulator();
        }

        @Override
        public SliAccumulator add(SliSample sample, SliAccumulator acc) {
            acc.add(sample);
            return acc;
        }

        @Override
        public SliAccumulator getResult(SliAccumulator acc) {
            return acc;
        }

        @Override
        public SliAccumulator merge(SliAccumulator a, SliAccumulator b) {
            return a.copy().merge(b);
        }
    }

    /**
     * Turns a window's sums into {@link SloMetric}s: one per SLI that had samples. A value is
     * marked breached only when it rests on at least {@code minSamples} events, so three plays at 3
     * a.m. with one failure do not page anyone.
     */
    public static class Emit
            extends ProcessWindowFunction<SliAccumulator, SloMetric, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final SloTargets targets;
        private final long minSamples;

        public Emit(SloTargets targets, long minSamples) {
            this.targets = targets;
            this.minSamples = minSamples;
        }

        @Override
        public void process(
                String group,
                Context context,
                Iterable<SliAccumulator> sums,
                Collector<SloMetric> out) {
            SliAccumulator a = sums.iterator().next();
            String[] parts = group.split("\\|", -1);
            String territory = parts[0];
            String device = parts[1];
            String pop = parts.length > 2 ? parts[2] : null;
            TimeWindow w = context.window();
            if (a.attempts > 0 || a.startFailures > 0 || a.playbackFailures > 0) {
                long attempts = Math.max(a.attempts, a.startFailures + a.playbackFailures);
                long failed = a.startFailures + a.playbackFailures;
                out.collect(
                        metric(
                                territory,
                                device,
                                pop,
                                Sli.PLAYBACK_SUCCESS_RATE,
                                w,
                                1.0 - (double) failed / attempts,
                                attempts));
                out.collect(
                        metric(
                                territory,
                                device,
                                pop,
                                Sli.VIDEO_START_FAILURES,
                                w,
                                (double) a.startFailures / attempts,
                                attempts));
            }
            if (a.playMs + a.rebufferMs > 0) {
                out.collect(
                        metric(
                                territory,
                                device,
                                pop,
                                Sli.REBUFFERING_RATIO,
                                w,
                                (double) a.rebufferMs / (a.playMs + a.rebufferMs),
                                a.watchSamples));
            }
            if (a.latencyCount() > 0) {
                out.collect(
                        metric(
                                territory,
                                device,
                                pop,
                                Sli.LICENSE_LATENCY_P95_MS,
                                w,
                                a.latencyQuantile(0.95),
                                a.latencyCount()));
            }
            if (a.segments > 0) {
                out.collect(
                        metric(
                                territory,
                                device,
                                pop,
                                Sli.CDN_CACHE_HIT_RATIO,
                                w,
                                (double) a.cacheHits / a.segments,
                                a.segments));
            }
        }

        private SloMetric metric(
                String territory,
                String device,
                String pop,
                Sli sli,
                TimeWindow w,
                double value,
                long samples) {
            return SloMetric.newBuilder()
                    .setTerritory(territory)
                    .setDeviceClass(device)
                    .setPop(pop)
                    .setSli(sli)
                    .setWindowStart(Instant.ofEpochMilli(w.getStart()))
                    .setWindowEnd(Instant.ofEpochMilli(w.getEnd()))
                    .setValue(value)
                    .setTarget(targets.target(sli))
                    .setSamples(samples)
                    .setBreached(samples >= minSamples && targets.breached(sli, value))
                    .build();
        }
    }
}
