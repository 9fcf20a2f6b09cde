package dev.marquee.demo;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.local.EmbeddedKafka;
import dev.marquee.local.LocalFlink;
import dev.marquee.sql.SqlClientLauncher;
import dev.marquee.stack.RegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo [--check]}: the whole pipeline on the embedded local stack. Starts a real KRaft
 * broker in this JVM, the registry as a child process and a Flink MiniCluster with its web UI,
 * replays a sample studio slate through the jobs, and shows what came out. With --check it also
 * reads the results back through the Flink SQL client and through an independent Python client, and
 * exits non-zero unless every stage produced what it should.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "The whole pipeline on the embedded local stack with a sample studio slate.")
public final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--check",
            description = "Verify every stage end to end, then exit (non-zero on failure)")
    boolean check;

    @Option(
            names = "--web-port",
            description = "Port of the Flink web UI (default: 8081, or the next free one)")
    int webPort = 8081;

    /**
     * Every job's part in the demo, in the order they run. A job joins the demo with one line here.
     */
    static final List<DemoStage> STAGES =
            List.of(
                    new RightsLifecycleStage(),
                    new RightsIntakeStage(),
                    new MetadataDemoStage(),
                    new PlaybackStage());

    /** The one Flink job graph that carries every stage's topology. */
    static final String DEMO_JOB = "marquee-demo";

    /** How long the demo waits for all stages' outputs together. */
    static final Duration AWAIT = Duration.ofSeconds(180);

    private final PrintStream out = System.out;
    private int step;

    @Override
    public Integer call() throws Exception {
        MarqueeHome home = MarqueeHome.detect();
        Path dir = home.dataDir().resolve("demo");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        long started = System.nanoTime();
        try (RssSampler rss = new RssSampler()) {
            progress("starting Kafka (KRaft broker, in process)");
            long t = System.nanoTime();
            try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
                done("Kafka at %s", kafka.bootstrapServers(), t);

                progress("starting the schema registry (Apicurio, child process)");
                t = System.nanoTime();
                try (RegistryServer registry =
                        RegistryServer.start(home, dir.resolve("registry"), 0)) {
                    done("registry at %s", registry.url(), t);
                    int port = freeWebPort(webPort);
                    Endpoints endpoints =
                            new Endpoints(
                                    kafka.bootstrapServers(),
                                    registry.url(),
                                    "http://127.0.0.1:" + port);

                    progress("creating topics and registering schemas");
                    new Provisioner(endpoints, out).provision();
                    JobClient job;

                    TopicClients clients = new TopicClients(endpoints);
                    try (RecordPublisher publisher = new RecordPublisher(clients)) {
                        // Before the job starts: see DemoStage#publish for why.
                        progress("replaying the sample data");
                        for (DemoStage stage : STAGES) {
                            out.printf("      %s: %s%n", stage.name(), stage.describe());
                            stage.publish(publisher, clients, out);
                        }

                        progress(
                                "starting Flink (MiniCluster, web UI on 127.0.0.1:"
                                        + port
                                        + ") with the jobs: "
                                        + String.join(
                                                ", ", STAGES.stream().map(s -> s.name()).toList()));
                        t = System.nanoTime();
                        StreamExecutionEnvironment env =
                                LocalFlink.withWebUi(port, new Configuration());
                        JobSettings jobSettings =
                                JobSettings.local(
                                        endpoints.bootstrapServers(), endpoints.registryUrl());
                        for (DemoStage stage : STAGES) {
                            stage.wire(env, jobSettings);
                        }
                        job = env.executeAsync(DEMO_JOB);
                        done("job %s submitted", job.getJobID().toString(), t);
                        for (DemoStage stage : STAGES) {
                            stage.publishLive(publisher, clients, out);
                        }
                    }

                    progress(
                            "waiting for the jobs' results (exactly-once: visible after each checkpoint)");
                    Instant deadline = Instant.now().plus(AWAIT);
                    List<String> failures = new ArrayList<>();
                    for (DemoStage stage : STAGES) {
                        out.printf("%n  == %s ==%n", stage.name());
                        failures.addAll(prefixed(stage, stage.await(clients, deadline, out)));
                    }

                    if (check) {
                        progress(
                                "checking the results through the SQL client and an independent reader");
                        for (DemoStage stage : STAGES) {
                            failures.addAll(prefixed(stage, stage.check(home, endpoints, out)));
                        }
                    }
                    out.printf(
                            "%n  time: %.1f s from start; peak memory of the whole stack: %d MB resident%n",
                            (System.nanoTime() - started) / 1e9, rss.peakMb());
                    failures.forEach(f -> out.println("  FAILED " + f));
                    if (check) {
                        job.cancel().get();
                        out.println(
                                failures.isEmpty()
                                        ? "demo --check: PASSED"
                                        : "demo --check: FAILED ("
                                                + failures.size()
                                                + " problem(s))");
                        return failures.isEmpty() ? 0 : 1;
                    }
                    // SQL sessions started against the demo run their queries inside the client
                    // (see DemoCheck); the web UI stays this JVM's MiniCluster.
                    endpoints.override(null, null, SqlClientLauncher.LOCAL).publish(home);
                    out.printf(
                            "%nThe stack stays up until you press Ctrl-C. Look around:%n"
                                    + "  Flink web UI:   %s%n",
                            endpoints.flinkRestUrl());
                    for (DemoStage stage : STAGES) {
                        stage.hints().forEach(h -> out.println("  " + h));
                    }
                    waitForInterrupt();
                    Endpoints.withdraw(home);
                    job.cancel();
                    return failures.isEmpty() ? 0 : 1;
                }
            }
        }
    }

    /** Time left until a deadline, never negative. */
    public static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static List<String> prefixed(DemoStage stage, List<String> failures) {
        return failures.stream().map(f -> stage.name() + ": " + f).toList();
    }

    private static int freeWebPort(int preferred) throws IOException {
        try (var socket =
                new java.net.ServerSocket(
                        preferred, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return preferred;
        } catch (IOException busy) {
            return EmbeddedKafka.freePort();
        }
    }

    private void progress(String what) {
        out.printf("[%d/%d] %s%n", ++step, check ? 7 : 6, what);
        out.flush();
    }

    private void done(String format, String arg, long startNanos) {
        out.printf("      " + format + " (%.1f s)%n", arg, (System.nanoTime() - startNanos) / 1e9);
    }

    private static void waitForInterrupt() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(latch::countDown));
        latch.await();
    }

    /** Removes a folder and everything in it (a previous run's demo or bench data). */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IOException("missing demo resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }
}
