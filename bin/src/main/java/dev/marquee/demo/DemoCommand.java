package dev.marquee.demo;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.rightsintake.RightsIntakeJob;
import dev.marquee.jobs.rightsintake.RightsIntakeTopology;
import dev.marquee.local.EmbeddedKafka;
import dev.marquee.sql.SqlClientLauncher;
import dev.marquee.stack.RegistryServer;
import dev.marquee.topics.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
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

                    progress(
                            "starting Flink (MiniCluster, web UI on 127.0.0.1:"
                                    + port
                                    + ") and the rights-intake job");
                    t = System.nanoTime();
                    StreamExecutionEnvironment env = localFlink(port);
                    RightsIntakeTopology.Settings settings = DemoSlate.intakeSettings();
                    RightsIntakeJob.wire(
                            env,
                            JobSettings.local(
                                    endpoints.bootstrapServers(), endpoints.registryUrl()),
                            settings);
                    JobClient job = env.executeAsync(RightsIntakeTopology.JOB);
                    done("job %s submitted", job.getJobID().toString(), t);

                    TopicClients clients = new TopicClients(endpoints);
                    DemoSlate slate = DemoSlate.load();
                    progress("replaying the sample slate: " + slate.describe());
                    try (RecordPublisher publisher = new RecordPublisher(clients)) {
                        publisher.publishJsonLines(
                                Topic.RIGHTS_EVENTS.topicName(), slate.rights(), "demo slate");
                        publisher.publishRaw(
                                Topic.RIGHTS_EVENTS.topicName(),
                                "r-garbled",
                                "this is not Avro".getBytes(StandardCharsets.UTF_8),
                                slate.lastSlateInstant());
                        // Time moves with the data: the next feed, once the first has gone quiet,
                        // advances event time past the slate's hours so their windows close.
                        Thread.sleep(settings.idleness().toMillis() + 2000);
                        publisher.publishJsonLines(
                                Topic.RIGHTS_EVENTS.topicName(), slate.laterRights(), "later feed");
                    }

                    progress(
                            "waiting for the job's results (exactly-once: visible after each checkpoint)");
                    DemoResults results =
                            DemoResults.await(clients, slate, Duration.ofSeconds(90), out);
                    results.print(out);

                    int failures = results.failures().size();
                    if (check) {
                        progress(
                                "checking the results through the SQL client and an independent reader");
                        DemoCheck verify = new DemoCheck(home, endpoints, slate, results, out);
                        failures += verify.run();
                    }
                    out.printf(
                            "%n  time: %.1f s from start; peak memory of the whole stack: %d MB resident%n",
                            (System.nanoTime() - started) / 1e9, rss.peakMb());
                    if (check) {
                        job.cancel().get();
                        out.println(
                                failures == 0
                                        ? "demo --check: PASSED"
                                        : "demo --check: FAILED (" + failures + " problem(s))");
                        return failures == 0 ? 0 : 1;
                    }
                    // SQL sessions started against the demo run their queries inside the client
                    // (see DemoCheck); the web UI stays this JVM's MiniCluster.
                    endpoints.override(null, null, SqlClientLauncher.LOCAL).publish(home);
                    out.printf(
                            "%nThe stack stays up until you press Ctrl-C. Look around:%n"
                                    + "  Flink web UI:   %s%n"
                                    + "  read a topic:   bin/marquee consume rights.intake.counts --from-beginning%n"
                                    + "  dead letters:   bin/marquee consume rights.events.dlq --from-beginning%n"
                                    + "  SQL:            bin/marquee sql   (then: SELECT * FROM rights_intake_counts;)%n",
                            endpoints.flinkRestUrl());
                    waitForInterrupt();
                    Endpoints.withdraw(home);
                    job.cancel();
                    return failures == 0 ? 0 : 1;
                }
            }
        }
    }

    private StreamExecutionEnvironment localFlink(int port) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, port);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(2);
        return env;
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
