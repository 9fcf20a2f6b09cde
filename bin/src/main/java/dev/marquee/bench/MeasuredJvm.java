package dev.marquee.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a playback bench measures, run in a JVM of its own ({@link MeasuredJvmMain}): the raw
 * baseline, the Flink read ceilings and the job itself, each in a fresh JVM with nothing else in
 * it, as a TaskManager runs a job. In the bench's own JVM they shared the JIT compiler with the
 * broker, the data loader and the bench's readers: on two cores it never settled (about 300 methods
 * compiled and as many deoptimized a pass, as each new job, the broker and the readers brought new
 * receiver types to call sites they share in Avro's decoder, Flink's serializers and the Kafka
 * client), and the run-to-run spread of the SLO job's rate (0.34x-0.53x) followed the compiler's
 * share of a core. The broker, the registry and the bench's readers stay in the bench's JVM; the
 * measured JVM talks to them over 127.0.0.1 as a deployed job does.
 *
 * <p>The child reports on its stdout (lines tagged {@link MeasuredJvmMain#TAG}); everything else it
 * prints is relayed to the bench's log. It is told to go and to cancel on its stdin, and cancels
 * its job when that closes, so a bench that dies leaves no job running.
 */
final class MeasuredJvm implements AutoCloseable {
    /**
     * Environment variable with extra JVM options for the measured JVMs only (not the bench's),
     * split on spaces; {@code {mode}} in them becomes what the JVM runs ({@code baseline}, {@code
     * playback-slo}, ...), so each writes a file of its own.
     */
    static final String EXTRA_OPTIONS = "MARQUEE_MEASURED_JVM_OPTIONS";

    private final Process process;
    private final Writer stdin;
    private final Thread relay;
    private final CompletableFuture<Void> warmed = new CompletableFuture<>();
    private final CompletableFuture<Double> rate = new CompletableFuture<>();
    private final CompletableFuture<String> jobId = new CompletableFuture<>();
    private final JobProgress progress = new JobProgress();
    private volatile long submittedNanos;
    private volatile double compiledAtSubmit = Double.NaN;
    private volatile double compiledLatest = Double.NaN;
    private volatile String failure;

    private MeasuredJvm(BenchContext context, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        // e.g. a flight recording of the measured JVM only: see docs/slo.md "Profiling"
        String extra = System.getenv(EXTRA_OPTIONS);
        if (extra != null && !extra.isBlank()) {
            for (String option : extra.trim().split("\\s+")) {
                command.add(option.replace("{mode}", args.get(0)));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MeasuredJvmMain.class.getName());
        command.addAll(args);
        this.process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.relay = new Thread(() -> relay(context), "measured-jvm-relay");
        relay.setDaemon(true);
        relay.start();
    }

    /**
     * This JVM's heap, module openings and system properties (Marquee's home and log file, log4j's
     * status level), not its agents or recording options: a JFR recording or agent set through
     * {@code JAVA_TOOL_OPTIONS} reaches the child from the environment anyway.
     */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx") || arg.startsWith("--add-opens") || arg.startsWith("-D")) {
                options.add(
                        arg.startsWith("-Dmarquee.log.file=")
                                ? arg.replace("cli.log", "bench-measured.log")
                                : arg);
            }
        }
        return options;
    }

    private static List<String> common(BenchContext context, String mode) {
        return List.of(
                mode,
                context.endpoints().bootstrapServers(),
                context.endpoints().registryUrl(),
                context.dir().toString(),
                Long.toString(context.checkpointInterval().toMillis()));
    }

    /**
     * Runs {@code mode} ({@code baseline}, {@code ceiling} or {@code ceiling-keyed}) over {@code
     * events} loaded telemetry events in a fresh JVM and returns its records a second.
     */
    static double rate(BenchContext context, String mode, long events) throws Exception {
        List<String> args = new ArrayList<>(common(context, mode));
        args.add(Long.toString(events));
        try (MeasuredJvm jvm = new MeasuredJvm(context, args)) {
            return jvm.await(jvm.rate, Duration.ofMinutes(15), mode);
        }
    }

    /**
     * Starts a bench job in a fresh JVM: it warms up there over the backlog ({@code warmUpTotal}
     * records of the telemetry source a pass, as {@link JobProgress#warmUp}) and waits for {@link
     * #go}, with its web UI (checkpoint statistics) on {@code webPort}.
     */
    static MeasuredJvm job(
            BenchContext context, String job, String label, long warmUpTotal, int webPort)
            throws IOException {
        List<String> args = new ArrayList<>(common(context, job));
        args.add(Long.toString(warmUpTotal));
        args.add(label);
        args.add(Integer.toString(webPort));
        return new MeasuredJvm(context, args);
    }

    /** Waits for the warm-up passes to end (the bench opens its output watchers after them). */
    void awaitWarmed() throws Exception {
        await(warmed, Duration.ofMinutes(20), "warm-up");
    }

    /** Starts the measured job once warmed up; returns its job id. */
    String go() throws Exception {
        awaitWarmed();
        send("go");
        return await(jobId, Duration.ofMinutes(2), "job start");
    }

    /** The measured job's telemetry source, as the child counts it every 100 ms. */
    JobProgress progress() {
        return progress;
    }

    /** {@link System#nanoTime} here when the child said it was submitting the measured job. */
    long submittedNanos() {
        return submittedNanos;
    }

    /** The share of one of the child's cores its JIT compiler was busy for since the submit. */
    double jitShareSinceSubmit() {
        return (compiledLatest - compiledAtSubmit) / ((System.nanoTime() - submittedNanos) / 1e6);
    }

    private void relay(BenchContext context) {
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith(MeasuredJvmMain.TAG)) {
                    context.log().println(line);
                    continue;
                }
                String[] f = line.substring(MeasuredJvmMain.TAG.length()).split(" ", 2);
                String rest = f.length > 1 ? f[1] : "";
                switch (f[0]) {
                    case "count" -> {
                        String[] v = rest.split(" ");
                        double compiled = Double.parseDouble(v[2]);
                        compiledLatest = compiled;
                        progress.add(
                                new JobProgress.Sample(
                                        Long.parseLong(v[0]), Long.parseLong(v[1]), compiled));
                    }
                    case "warmed" -> warmed.complete(null);
                    case "submitting" -> {
                        submittedNanos = System.nanoTime();
                        compiledAtSubmit = Double.parseDouble(rest);
                        compiledLatest = compiledAtSubmit;
                    }
                    case "started" -> jobId.complete(rest);
                    case "rate" -> rate.complete(Double.parseDouble(rest));
                    // Nothing waits for it: close() waits for the exit that follows.
                    case "done" -> {}
                    // Its stack trace follows: the waits end once it has all been relayed.
                    case "failed" -> failure = rest;
                    default -> context.log().println(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
        fail(
                new IllegalStateException(
                        failure != null
                                ? "measured JVM: " + failure
                                : "the measured JVM ended (exit " + exitCode() + ")"));
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS)
                    ? Integer.toString(process.exitValue())
                    : "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private void fail(Throwable cause) {
        warmed.completeExceptionally(cause);
        rate.completeExceptionally(cause);
        jobId.completeExceptionally(cause);
    }

    private <T> T await(CompletableFuture<T> what, Duration timeout, String label)
            throws Exception {
        try {
            return what.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "the measured JVM did not finish its " + label + " within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Cancels the job (if one runs) and waits for the JVM to exit; kills it after 60 s. */
    @Override
    public void close() throws Exception {
        try {
            send("cancel");
            stdin.close();
        } catch (IOException gone) {
            // it already exited
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        relay.join(5000);
    }
}
