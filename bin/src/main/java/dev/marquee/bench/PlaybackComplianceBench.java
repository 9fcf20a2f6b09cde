package dev.marquee.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.jobs.compliance.ComplianceTopology;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.stack.Ports;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The playback compliance join on a MiniCluster beside the raw read-and-decode baseline of the same
 * playback.telemetry records, each in a JVM of its own ({@link MeasuredJvm}): events per second
 * through the job over the loaded backlog (until every violation the availability implies is
 * visible); then a live phase at 60x for the latency from a forbidden play's arrival to its
 * violation being visible (read_committed), and the checkpointed state size half way and at the end
 * of it.
 */
public final class PlaybackComplianceBench implements BenchEntry {
    @Override
    public String name() {
        return ComplianceTopology.JOB;
    }

    static ComplianceTopology.Settings settings() {
        // Short idleness is safe here: a play that turns late because its partition was briefly
        // idle is still judged at once (its availability history is kept for 6 h).
        return ComplianceTopology.Settings.defaults().withIdleness(Duration.ofSeconds(1));
    }

    @Override
    public ObjectNode run(BenchContext context) throws Exception {
        PlaybackBenchData data = PlaybackBenchData.of(context);
        double baseline = PlaybackBenchData.baseline(context, data);
        double ceiling = PlaybackBenchData.flinkCeiling(context, data, false);

        context.log()
                .printf(
                        "playback-compliance job on a MiniCluster in a JVM of its own (parallelism"
                                + " 2), %,d violations expected...%n",
                        data.expectedViolations);
        int port = Ports.freePort();
        MeasuredJvm jvm = MeasuredJvm.job(context, name(), "bench-compliance", data.starts, port);
        TopicWatcher<ComplianceViolation> violations = null;
        JobProgress progress = jvm.progress();
        try {
            jvm.awaitWarmed();
            // This run's violations as they come (not the whole topic again on every check).
            violations =
                    new TopicWatcher<>(
                            context.clients(),
                            Topic.COMPLIANCE_VIOLATIONS,
                            ComplianceViolation.class);
            String jobId = jvm.go();
            long start = jvm.submittedNanos();
            long giveUp = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (violations.seen().size() < data.expectedViolations) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException(
                            "playback-compliance did not report every expected violation within"
                                    + " 10 minutes");
                }
                Thread.sleep(250);
            }
            double rate = data.events / ((System.nanoTime() - start) / 1e9);
            double jit = jvm.jitShareSinceSubmit();
            // The source's chain ends in the START filter, so its counter counts plays: starts
            // are spread evenly through the traffic, so plays/s x events per play is events/s.
            PlaybackBenchData.Measured measured =
                    PlaybackBenchData.Measured.of(
                            progress, data.starts, data.events / (double) data.starts);
            // Read again now, not before the measured run: its JIT work would fall in the run.
            baseline = PlaybackBenchData.settledBaseline(context, data, baseline);
            measured.print(context, baseline, 0.7, rate, "violation");
            double steady = measured.steady();
            context.log()
                    .printf(
                            "  %.2f of the Flink read + decode ceiling (what the job's own work"
                                    + " leaves of it)%n",
                            steady / ceiling);
            context.log()
                    .printf(
                            "  JIT compiler (the job's JVM) busy %.0f%% of a core from job start"
                                    + " to the last violation%n",
                            100 * jit);
            long afterBacklog =
                    PlaybackBenchData.stateBytes(port, jobId, System.currentTimeMillis());
            context.log().printf("  state after the backlog: %,d bytes%n", afterBacklog);

            Duration liveLength = PlaybackBenchData.simulatedLength(context.sustained());
            // After the SLO entry's live phase (from 2 h after the data, as long as this one), if
            // it ran: event time only moves forward.
            Instant liveStart = data.dataEnd.plus(Duration.ofHours(3)).plus(liveLength);
            context.log()
                    .printf(
                            "live phase: %d simulated minutes at %.0fx, plays of a closed title among them...%n",
                            liveLength.toMinutes(), PlaybackSloBench.LIVE_SPEED);
            TelemetrySimulator sim =
                    PlaybackBenchData.simulation(liveStart, liveLength, 600).seed(777).build();
            Map<String, Long> forbidden = new HashMap<>();
            StateTrend trend =
                    new StateTrend(port, jobId, PlaybackBenchData.trendPeriod(liveLength));
            List<TopicWatcher.Seen<ComplianceViolation>> seen;
            try (TopicWatcher<ComplianceViolation> watcher =
                    new TopicWatcher<>(
                            context.clients(),
                            Topic.COMPLIANCE_VIOLATIONS,
                            ComplianceViolation.class)) {
                PlaybackBenchData.live(
                        context.clients(),
                        sim,
                        PlaybackSloBench.LIVE_SPEED,
                        e -> {
                            if (e.getEventType() == PlaybackEventType.START && !data.entitled(e)) {
                                forbidden.put(e.getSessionId(), System.nanoTime());
                            }
                        });
                Thread.sleep(5000);
                seen = watcher.seen();
            }
            trend.close();
            long endState = PlaybackBenchData.stateBytes(port, jobId, System.currentTimeMillis());
            List<Double> latencies = new ArrayList<>();
            for (var s : seen) {
                Long published = forbidden.get(s.value().getSessionId());
                if (published != null) {
                    latencies.add((s.seenNanos() - published) / 1e6);
                }
            }
            double p50 = PlaybackBenchData.percentile(latencies, 50);
            double p99 = PlaybackBenchData.percentile(latencies, 99);
            context.log()
                    .printf(
                            "  %d of %d forbidden live plays reported; play arrival -> violation visible: p50 %.0f ms, p99 %.0f ms%n",
                            latencies.size(), forbidden.size(), p50, p99);
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
            entry.put("jobEventsPerSecondWithStart", Math.round(rate));
            entry.put("ratioWithStart", Math.round(rate / baseline * 100) / 100.0);
            entry.put("liveViolations", latencies.size());
            entry.put("liveForbiddenPlays", forbidden.size());
            entry.put("violationLatencyP50Ms", Math.round(p50));
            entry.put("violationLatencyP99Ms", Math.round(p99));
            entry.put("stateBytesAfterBacklog", afterBacklog);
            entry.put("stateBytesLiveHalfWay", trend.halfWay());
            entry.put("stateBytesLiveEnd", endState);
            entry.put("stateSecondHalfGrowth", Math.round(trend.secondHalfGrowth() * 100) / 100.0);
            entry.set("stateBytesLive", trend.json(context.json()));
            return entry;
        } finally {
            if (violations != null) {
                violations.close();
            }
            jvm.close();
        }
    }
}
