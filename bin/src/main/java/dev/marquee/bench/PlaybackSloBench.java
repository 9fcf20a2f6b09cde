package dev.marquee.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.jobs.slo.SloTopology;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.Sli;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.stack.Ports;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The playback SLO job on a MiniCluster beside the raw read-and-decode baseline of the same
 * playback.telemetry records, each in a JVM of its own ({@link MeasuredJvm}), read from the bench's
 * broker over 127.0.0.1: events per second through the whole job (sessions, windows, CEP,
 * exactly-once sinks) over the loaded backlog; then a live phase (simulated traffic paced at 60x, a
 * slow license server in the middle) for the latency from the arrival of the event that completes
 * an alert's evidence to the alert being visible on slo.alerts (read_committed, so it includes the
 * checkpoint that commits it), and the job's checkpointed state size in the middle and at the end
 * of the live phase (bounded state: the two should be alike).
 */
public final class PlaybackSloBench implements BenchEntry {
    static final double LIVE_SPEED = 60;

    @Override
    public String name() {
        return SloTopology.JOB;
    }

    static SloTopology.Settings settings() {
        return SloTopology.Settings.defaults().withMinSamples(10);
    }

    /**
     * Playback attempts counted on slo.metrics since the watcher was opened: only this run's
     * output, read as it comes (reading the whole topic again on every check decoded every earlier
     * run's output too, and took a good part of a core from the job being measured).
     */
    private static long attempts(TopicWatcher<SloMetric> metrics) {
        return metrics.seen().stream()
                .map(TopicWatcher.Seen::value)
                .filter(m -> m.getSli() == Sli.PLAYBACK_SUCCESS_RATE)
                .mapToLong(SloMetric::getSamples)
                .sum();
    }

    @Override
    public ObjectNode run(BenchContext context) throws Exception {
        PlaybackBenchData data = PlaybackBenchData.of(context);
        double baseline = PlaybackBenchData.baseline(context, data);
        double ceiling = PlaybackBenchData.flinkCeiling(context, data, false);
        double keyedCeiling = PlaybackBenchData.flinkCeiling(context, data, true);

        context.log()
                .println(
                        "playback-slo job on a MiniCluster in a JVM of its own (parallelism 2,"
                                + " exactly-once sinks)...");
        int port = Ports.freePort();
        MeasuredJvm jvm = MeasuredJvm.job(context, name(), "bench-slo", data.events, port);
        TopicWatcher<SloMetric> metricsWatcher = null;
        JobProgress progress = jvm.progress();
        try {
            jvm.awaitWarmed();
            metricsWatcher =
                    new TopicWatcher<>(context.clients(), Topic.SLO_METRICS, SloMetric.class);
            String jobId = jvm.go();
            long start = jvm.submittedNanos();
            long giveUp = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (true) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException(
                            "playback-slo did not report every loaded attempt within 10 minutes"
                                    + " (see playback.telemetry.dlq for late events)");
                }
                if (attempts(metricsWatcher) >= data.starts) {
                    break;
                }
                Thread.sleep(250);
            }
            double rate = data.events / ((System.nanoTime() - start) / 1e9);
            double jit = jvm.jitShareSinceSubmit();
            PlaybackBenchData.Measured measured =
                    PlaybackBenchData.Measured.of(progress, data.events, 1);
            // Read again now, not before the measured run: its JIT work would fall in the run.
            baseline = PlaybackBenchData.settledBaseline(context, data, baseline);
            measured.print(context, baseline, 0.5, rate, "window");
            double steady = measured.steady();
            context.log()
                    .printf(
                            "  %.2f of the Flink read + decode ceiling (what the job's own work"
                                    + " leaves of it)%n",
                            steady / ceiling);
            context.log()
                    .printf(
                            "  %.2f of the read + shuffle by session + decode ceiling (what the"
                                    + " per-session work leaves of it)%n",
                            steady / keyedCeiling);
            context.log()
                    .printf(
                            "  JIT compiler (the job's JVM) busy %.0f%% of a core from job start"
                                    + " to the last window%n",
                            100 * jit);
            long afterBacklog =
                    PlaybackBenchData.stateBytes(port, jobId, System.currentTimeMillis());
            context.log().printf("  state after the backlog: %,d bytes%n", afterBacklog);

            Duration liveLength = PlaybackBenchData.simulatedLength(context.sustained());
            Instant liveStart = data.dataEnd.plus(Duration.ofHours(2));
            context.log()
                    .printf(
                            "live phase: %d simulated minutes at %.0fx (%d s), slow license in the middle...%n",
                            liveLength.toMinutes(),
                            LIVE_SPEED,
                            (long) (liveLength.toSeconds() / LIVE_SPEED));
            TelemetrySimulator sim =
                    PlaybackBenchData.simulation(liveStart, liveLength, 600).seed(4242).build();
            StateTrend trend =
                    new StateTrend(port, jobId, PlaybackBenchData.trendPeriod(liveLength));
            TreeMap<Long, Long> publishedAt;
            List<TopicWatcher.Seen<SloAlert>> alerts;
            try (TopicWatcher<SloAlert> watcher =
                    new TopicWatcher<>(context.clients(), Topic.SLO_ALERTS, SloAlert.class)) {
                publishedAt = PlaybackBenchData.live(context.clients(), sim, LIVE_SPEED, e -> {});
                Thread.sleep(5000);
                alerts = watcher.seen();
            }
            trend.close();
            long endState = PlaybackBenchData.stateBytes(port, jobId, System.currentTimeMillis());
            List<Double> latencies = new ArrayList<>();
            long outOfPhase = 0;
            for (var seen : alerts) {
                SloAlert a = seen.value();
                // The alert's last window closes when the watermark passes its end, i.e. when an
                // event out-of-orderness later than that end arrives.
                long trigger =
                        a.getRaisedAt().toEpochMilli() + settings().outOfOrderness().toMillis();
                Long arrival = PlaybackBenchData.arrival(publishedAt, trigger);
                if (arrival == null || a.getRaisedAt().isBefore(liveStart)) {
                    outOfPhase++;
                    continue;
                }
                latencies.add((seen.seenNanos() - arrival) / 1e6);
            }
            long raised =
                    alerts.stream().filter(s -> s.value().getKind() != AlertKind.RECOVERY).count();
            double p50 = PlaybackBenchData.percentile(latencies, 50);
            double p99 = PlaybackBenchData.percentile(latencies, 99);
            context.log()
                    .printf(
                            "  %d alerts (%d raised, %d recoveries); event arrival -> alert visible: p50 %.0f ms, p99 %.0f ms%n",
                            alerts.size(), raised, alerts.size() - raised, p50, p99);
            context.log()
                    .printf(
                            "  state over the live phase: %s; %,d bytes at the end (second half's largest"
                                    + " / first half's: %.2f)%n",
                            trend.describe(), endState, trend.secondHalfGrowth());

            ObjectNode entry = context.json().createObjectNode();
            entry.put("job", name());
            entry.put("events", data.events);
            entry.put("baselineEventsPerSecond", Math.round(baseline));
            entry.put("jitCoreShareDuringRun", Math.round(jit * 100) / 100.0);
            measured.put(entry, baseline);
            entry.put("flinkCeilingEventsPerSecond", Math.round(ceiling));
            entry.put("ceilingRatio", Math.round(ceiling / baseline * 100) / 100.0);
            entry.put("jobToCeiling", Math.round(steady / ceiling * 100) / 100.0);
            entry.put("keyedCeilingEventsPerSecond", Math.round(keyedCeiling));
            entry.put("jobToKeyedCeiling", Math.round(steady / keyedCeiling * 100) / 100.0);
            entry.put("jobEventsPerSecondWithStart", Math.round(rate));
            entry.put("ratioWithStart", Math.round(rate / baseline * 100) / 100.0);
            entry.put("liveAlerts", alerts.size());
            entry.put("alertLatencyP50Ms", Math.round(p50));
            entry.put("alertLatencyP99Ms", Math.round(p99));
            entry.put("stateBytesAfterBacklog", afterBacklog);
            entry.put("stateBytesLiveHalfWay", trend.halfWay());
            entry.put("stateBytesLiveEnd", endState);
            entry.put("stateSecondHalfGrowth", Math.round(trend.secondHalfGrowth() * 100) / 100.0);
            entry.set("stateBytesLive", trend.json(context.json()));
            entry.put("alertsOutsideLivePhase", outOfPhase);
            return entry;
        } finally {
            if (metricsWatcher != null) {
                metricsWatcher.close();
            }
            jvm.close();
        }
    }
}
