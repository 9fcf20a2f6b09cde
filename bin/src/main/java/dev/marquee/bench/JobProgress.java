package dev.marquee.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.local.LocalFlink;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Follows one vertex of a running job and reads its record counter ({@link InJvmCounters}: the
 * bench's MiniCluster runs in this JVM), so a bench can report the rate <em>while the job
 * processes</em>: from the first sample in which the vertex has moved records to the first in which
 * it has moved them all, the way Nexmark reads throughput off a running job rather than off the
 * wall clock around it (which would count job start-up and the exactly-once commit delay as
 * processing time).
 */
final class JobProgress implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which counter of the vertex: records it read from the network, or wrote to it. */
    enum Counter {
        READ("numRecordsIn"),
        WRITTEN("numRecordsOut");

        final String metric;

        Counter(String metric) {
            this.metric = metric;
        }
    }

    /** A count, when it was read, and the JIT compiler's total time then. */
    record Sample(long nanos, long records, double compiledMillis) {}

    /** Where a count comes from. */
    @FunctionalInterface
    interface CountSource {
        long count() throws Exception;
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Thread poller;
    private volatile boolean stopped;

    /**
     * Starts reading the vertex's counter every {@code every} in the background; the job's cluster
     * must report to {@link InJvmCounters} ({@link InJvmCounters#enable}).
     *
     * @param vertexPrefix the start of the vertex's name (a chain is named after its operators)
     */
    JobProgress(String jobId, String vertexPrefix, Counter counter, Duration every) {
        this(() -> InJvmCounters.sum(jobId, vertexPrefix, counter.metric), every);
    }

    /**
     * Holds samples another process takes and {@link #add}s here ({@link MeasuredJvm}: the job runs
     * in a JVM of its own and reports its counter).
     */
    JobProgress() {
        this.poller = null;
    }

    /** A sample taken elsewhere, in the order taken. */
    void add(Sample sample) {
        synchronized (samples) {
            samples.add(sample);
        }
    }

    /** Starts sampling {@code source} every {@code every} in the background. */
    JobProgress(CountSource source, Duration every) {
        this.poller =
                new Thread(
                        () -> {
                            while (!stopped) {
                                try {
                                    long records = source.count();
                                    synchronized (samples) {
                                        samples.add(
                                                new Sample(
                                                        System.nanoTime(),
                                                        records,
                                                        compileMillis()));
                                    }
                                    Thread.sleep(every.toMillis());
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception notYet) {
                                    // the job is still starting
                                }
                            }
                        },
                        "bench-progress");
        poller.setDaemon(true);
        poller.start();
    }

    /** A JSON answer of the MiniCluster's REST API; an IOException for anything but 200. */
    static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Records a second between the first sample with any record and the last sample before the
     * vertex had moved {@code total}: both taken while it was processing, so neither the time
     * before its first record nor the wait for the sample after its last counts (a sample interval
     * either side, which biased short runs low). Falls back to the first sample with {@code total}
     * when no sample falls in between; NaN when the samples do not span an interval (too fast to
     * see).
     */
    double steadyRate(long total) {
        return steadyRate(1, total);
    }

    /**
     * The same from the first sample at or past {@code from} records: the rate once the job has
     * been running, past its own start (tasks deploying, state tables growing from empty, the JIT
     * compiling what this job instance calls for the first time).
     */
    double steadyRate(long from, long total) {
        Span span = steadySpan(from, total);
        return span == null
                ? Double.NaN
                : (span.end.records() - span.first.records()) / span.seconds();
    }

    /**
     * The seconds {@link #steadyRate(long, long)} was measured over (NaN when it could not be): a
     * rate over a second or less of processing is a coarse one, and the bench says so.
     */
    double steadySeconds(long from, long total) {
        Span span = steadySpan(from, total);
        return span == null ? Double.NaN : span.seconds();
    }

    /**
     * The share of one core the JIT compiler was busy for over the span {@link #steadyRate(long,
     * long)} was measured over (NaN when it could not be).
     */
    double jitShare(long from, long total) {
        Span span = steadySpan(from, total);
        return span == null
                ? Double.NaN
                : (span.end.compiledMillis() - span.first.compiledMillis())
                        / (span.seconds() * 1000);
    }

    /** The two samples a steady rate is read between. */
    private record Span(Sample first, Sample end) {
        double seconds() {
            return (end.nanos() - first.nanos()) / 1e9;
        }
    }

    /** Null when the samples do not span an interval; {@code from} counts as at least 1. */
    private Span steadySpan(long from, long total) {
        long firstCount = Math.max(1, from);
        Sample first = null;
        Sample lastBefore = null;
        Sample done = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (first == null && s.records() >= firstCount) {
                    first = s;
                }
                if (s.records() < total) {
                    lastBefore = s;
                } else if (done == null) {
                    done = s;
                }
            }
        }
        Sample end =
                lastBefore != null && first != null && lastBefore.records() > first.records()
                        ? lastBefore
                        : done;
        if (first == null || end == null || end.nanos() <= first.nanos()) {
            return null;
        }
        return new Span(first, end);
    }

    /** Warm-up passes at most, however busy the JIT compiler still is. */
    static final int MAX_WARMUP_PASSES = 6;

    /**
     * The JIT counts as settled when its compiler threads were busy for less than this share of a
     * pass's wall time (0.15: 150 ms of compiling a second, on one of the machine's cores).
     */
    static final double JIT_SETTLED = 0.15;

    /**
     * Milliseconds the JIT compiler threads of this JVM have spent compiling so far, summed over
     * them (NaN where the JVM does not say).
     */
    static double compileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit.getTotalCompilationTime()
                : Double.NaN;
    }

    /** The share of one core the JIT compiler was busy for since {@code startNanos}. */
    static double busyShare(double compiledBefore, long startNanos) {
        return (compileMillis() - compiledBefore) / ((System.nanoTime() - startNanos) / 1e6);
    }

    /**
     * Runs copies of a job over the loaded backlog until the JIT compiler has settled, so that the
     * measured run finds its code compiled: run in the JVM the measured job then runs in ({@link
     * MeasuredJvmMain}). On a two-core machine, without it, the C2 compiler thread was on more than
     * half a core all through the measured run, the job's threads queueing behind it for the CPU:
     * the measurement was of the JIT, not of the job. The copies run on {@code cluster}, the one
     * the measured job then runs on (as a TaskManager runs job after job). A pass ends when its
     * {@code vertexPrefix} vertex has moved {@code total} records; passes repeat while the compiler
     * was busy for more than {@link #JIT_SETTLED} of the pass, at most {@link #MAX_WARMUP_PASSES}.
     * Each copy has its own consumer group and transactional ids ({@code label} and the pass); what
     * it committed stays on the output topics, so the measured run counts its own output from what
     * was there before it.
     */
    static void warmUp(
            BenchContext context,
            LocalFlink.Session cluster,
            String label,
            BiConsumer<StreamExecutionEnvironment, JobSettings> wire,
            String vertexPrefix,
            Counter counter,
            long total)
            throws Exception {
        context.log()
                .println(
                        "  warming up: runs over the backlog until the JIT compiler has settled,"
                                + " not measured...");
        for (int pass = 1; pass <= MAX_WARMUP_PASSES; pass++) {
            double compiledBefore = compileMillis();
            long start = System.nanoTime();
            runOnce(
                    context,
                    cluster,
                    label + "-warmup-" + pass,
                    wire,
                    vertexPrefix,
                    counter,
                    total);
            double share = busyShare(compiledBefore, start);
            context.log()
                    .printf("    pass %d: JIT compiler busy %.0f%% of a core%n", pass, 100 * share);
            if (!(share > JIT_SETTLED)) {
                return;
            }
        }
        context.log()
                .printf(
                        "    the JIT was still compiling after %d passes: the figures below"
                                + " include some of its work%n",
                        MAX_WARMUP_PASSES);
    }

    private static void runOnce(
            BenchContext context,
            LocalFlink.Session cluster,
            String label,
            BiConsumer<StreamExecutionEnvironment, JobSettings> wire,
            String vertexPrefix,
            Counter counter,
            long total)
            throws Exception {
        StreamExecutionEnvironment env = cluster.env();
        wire.accept(
                env,
                JobSettings.local(
                        context.endpoints().bootstrapServers(),
                        context.endpoints().registryUrl(),
                        Duration.ofSeconds(1),
                        label));
        JobClient job = env.executeAsync(label);
        try (JobProgress progress =
                new JobProgress(
                        job.getJobID().toString(), vertexPrefix, counter, Duration.ofMillis(200))) {
            long giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (progress.latest() < total && System.nanoTime() < giveUp) {
                Thread.sleep(200);
            }
        } finally {
            // Stop with a savepoint rather than cancel: the savepoint commits the sinks' open
            // transactions. A cancelled exactly-once job can leave a transaction prepared and
            // never committed, which holds back every read_committed reader of that topic (the
            // measured run's output among it) until the broker times it out, 14 minutes later.
            job.stopWithSavepoint(
                            false,
                            context.dir().resolve("warmup-savepoints").toUri().toString(),
                            SavepointFormatType.CANONICAL)
                    .get();
        }
    }

    /** The latest sample's count. */
    long latest() {
        synchronized (samples) {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).records();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        if (poller != null) {
            poller.interrupt();
            poller.join(5000);
        }
    }
}
