package dev.marquee.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.compliance.ComplianceTopology;
import dev.marquee.jobs.compliance.PlaybackComplianceJob;
import dev.marquee.jobs.slo.PlaybackSloJob;
import dev.marquee.jobs.slo.SloTopology;
import dev.marquee.local.LocalFlink;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.topics.Topic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The child side of {@link MeasuredJvm}: runs one measured thing of a playback bench in a JVM that
 * runs nothing else, and reports on stdout. Lines starting with {@link #TAG} are for the parent;
 * every other line is progress it prints as it is.
 *
 * <pre>
 * MeasuredJvmMain baseline|ceiling|ceiling-keyed BOOTSTRAP REGISTRY DIR CHECKPOINT_MS EVENTS
 *   -> "@measured rate R"
 * MeasuredJvmMain playback-slo|playback-compliance BOOTSTRAP REGISTRY DIR CHECKPOINT_MS WARMUP_TOTAL
 *     LABEL WEB_PORT
 *   -> warm-up passes, "@measured warmed", waits for "go" on stdin, "@measured submitting C",
 *      "@measured started JOB_ID", then "@measured count NANOS RECORDS C" every 100 ms until
 *      "cancel" (or the end of stdin), "@measured done"   (C: the JIT's compile time so far, ms)
 * </pre>
 */
public final class MeasuredJvmMain {
    /** What starts a line meant for the parent. */
    static final String TAG = "@measured ";

    private MeasuredJvmMain() {}

    /** How each bench job is wired, as deployed (object reuse on). */
    static final Map<String, BiConsumer<StreamExecutionEnvironment, JobSettings>> JOBS =
            new HashMap<>();

    static {
        JOBS.put(
                SloTopology.JOB,
                (env, settings) -> {
                    settings.reuseObjects(env);
                    PlaybackSloJob.wire(env, settings, PlaybackSloBench.settings());
                });
        JOBS.put(
                ComplianceTopology.JOB,
                (env, settings) -> {
                    settings.reuseObjects(env);
                    PlaybackComplianceJob.wire(env, settings, PlaybackComplianceBench.settings());
                });
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        String mode = args[0];
        Endpoints endpoints = new Endpoints(args[1], args[2], null);
        Duration checkpoints = Duration.ofMillis(Long.parseLong(args[4]));
        BenchContext context =
                new BenchContext(
                        MarqueeHome.detect(),
                        Path.of(args[3]),
                        endpoints,
                        new TopicClients(endpoints),
                        out,
                        new ObjectMapper(),
                        1.0,
                        Duration.ZERO,
                        checkpoints);
        long count = Long.parseLong(args[5]);
        try {
            switch (mode) {
                case "baseline" ->
                        out.println(
                                TAG
                                        + "rate "
                                        + context.baseline(
                                                Topic.PLAYBACK_TELEMETRY,
                                                PlaybackEvent.class,
                                                count));
                case "ceiling", "ceiling-keyed" -> {
                    boolean keyed = mode.equals("ceiling-keyed");
                    double best = 0;
                    for (int run = 1; run <= 2; run++) {
                        best =
                                Math.max(
                                        best,
                                        FlinkReadCeiling.measure(
                                                context,
                                                Topic.PLAYBACK_TELEMETRY,
                                                PlaybackEvent.class,
                                                count,
                                                "bench-" + mode + "-" + System.nanoTime(),
                                                keyed));
                    }
                    out.println(TAG + "rate " + best);
                }
                default -> runJob(context, mode, count, args[6], Integer.parseInt(args[7]));
            }
        } catch (Exception e) {
            out.println(TAG + "failed " + e);
            e.printStackTrace(out);
            out.flush();
            System.exit(1);
        }
        out.flush();
        // Flink and Kafka leave non-daemon threads behind; the parent waits for this exit.
        System.exit(0);
    }

    private static void runJob(
            BenchContext context, String job, long warmUpTotal, String label, int webPort)
            throws Exception {
        BiConsumer<StreamExecutionEnvironment, JobSettings> wire = JOBS.get(job);
        if (wire == null) {
            throw new IllegalArgumentException(
                    "no measured job " + job + "; jobs: " + JOBS.keySet());
        }
        PrintStream out = context.log();
        try (LocalFlink.Session cluster =
                LocalFlink.Session.start(
                        webPort, PlaybackBenchData.measuredJobConfig(context, job))) {
            JobProgress.warmUp(
                    context,
                    cluster,
                    label,
                    wire,
                    PlaybackBenchData.TELEMETRY_SOURCE,
                    JobProgress.Counter.WRITTEN,
                    warmUpTotal);
            out.println(TAG + "warmed");
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                return;
            }
            StreamExecutionEnvironment env = cluster.env();
            JobSettings settings =
                    JobSettings.local(
                            context.endpoints().bootstrapServers(),
                            context.endpoints().registryUrl(),
                            context.checkpointInterval(),
                            label);
            wire.accept(env, settings);
            runMeasured(env, label, in, out);
        }
    }

    /** Runs the measured job, reporting its counter, until "cancel" or the end of stdin. */
    private static void runMeasured(
            StreamExecutionEnvironment env, String label, BufferedReader in, PrintStream out)
            throws Exception {
        out.println(TAG + "submitting " + JobProgress.compileMillis());
        JobClient client = env.executeAsync(label);
        String jobId = client.getJobID().toString();
        out.println(TAG + "started " + jobId);
        Thread reporter =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    long records =
                                            InJvmCounters.sum(
                                                    jobId,
                                                    PlaybackBenchData.TELEMETRY_SOURCE,
                                                    JobProgress.Counter.WRITTEN.metric);
                                    out.println(
                                            TAG
                                                    + "count "
                                                    + System.nanoTime()
                                                    + " "
                                                    + records
                                                    + " "
                                                    + JobProgress.compileMillis());
                                    Thread.sleep(100);
                                }
                            } catch (InterruptedException stop) {
                                // cancelled
                            }
                        },
                        "measured-counts");
        reporter.setDaemon(true);
        reporter.start();
        // Anything but "cancel" is ignored; the end of stdin (the parent gone) cancels too.
        String line;
        while ((line = in.readLine()) != null && !line.equals("cancel")) {}
        reporter.interrupt();
        reporter.join(2000);
        client.cancel().get();
        out.println(TAG + "done");
    }
}
