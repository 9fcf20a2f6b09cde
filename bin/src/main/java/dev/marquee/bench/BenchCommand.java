package dev.marquee.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.cli.TopicClients;
import dev.marquee.cli.UserError;
import dev.marquee.demo.DemoCommand;
import dev.marquee.local.EmbeddedKafka;
import dev.marquee.stack.RegistryServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench [--json]}: each job's throughput beside a raw Kafka read-and-decode baseline, on the
 * same embedded broker and registry in the same run, so the ratio means something on any machine.
 * Speed goals live here, never in timed tests.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Throughput of each job beside a raw Kafka-read baseline on this machine.")
public final class BenchCommand implements Callable<Integer> {

    /** Every entry, in the order they run. A job joins the bench with one line here. */
    static final List<BenchEntry> ENTRIES =
            List.of(
                    new RightsEvalBench(),
                    new RightsIntakeBench(),
                    new RightsLifecycleBench(),
                    new TelemetryParseBench(),
                    new PlaybackSloBench(),
                    new PlaybackComplianceBench(),
                    new MetadataBench());

    @Option(names = "--json", description = "One JSON document on stdout instead of a table")
    boolean json;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "NAME",
            description = "Run only these entries (comma-separated): ${COMPLETION-CANDIDATES}")
    List<String> only = new ArrayList<>();

    @Option(
            names = "--scale",
            description =
                    "Multiply every entry's documented size by this (default: ${DEFAULT-VALUE};"
                            + " 0.1 for a quick look)")
    double scale = 1.0;

    @Option(
            names = "--sustained-minutes",
            paramLabel = "MINUTES",
            description =
                    "Wall-clock minutes of each playback entry's sustained live phase, in which its"
                            + " latency and state over time are measured (default:"
                            + " ${DEFAULT-VALUE}; at 60x, 10 minutes are 10 simulated hours, past"
                            + " the 6 hours the longest SLO burn window and the availability"
                            + " history keep)")
    double sustainedMinutes = 10;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            description =
                    "Checkpoint interval of the playback jobs being measured (default:"
                            + " ${DEFAULT-VALUE}, as k8s/ deploys them; an exactly-once output"
                            + " is visible at the checkpoint after it was made), e.g. 1s, 30s")
    String checkpointInterval = "10s";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        List<String> names = ENTRIES.stream().map(BenchEntry::name).toList();
        for (String name : only) {
            if (!names.contains(name)) {
                throw new UserError(
                        "unknown bench entry '" + name + "'; entries: " + String.join(", ", names));
            }
        }
        if (scale <= 0) {
            throw new UserError("--scale must be above 0, got " + scale);
        }
        if (sustainedMinutes <= 0) {
            throw new UserError("--sustained-minutes must be above 0, got " + sustainedMinutes);
        }
        Duration checkpoints;
        try {
            checkpoints = TimeUtils.parseDuration(checkpointInterval);
        } catch (IllegalArgumentException e) {
            throw new UserError(
                    "--checkpoint-interval: '"
                            + checkpointInterval
                            + "' is not a duration (10s, 1 min)");
        }
        if (checkpoints.toMillis() < 100) {
            throw new UserError(
                    "--checkpoint-interval must be at least 100 ms, got " + checkpointInterval);
        }
        PrintStream log = json ? System.err : System.out;
        MarqueeHome home = MarqueeHome.detect();
        // A folder of this run's own: two bench runs at once (two people on one machine) must not
        // format each other's broker. Earlier runs' folders are left by a crash only.
        Path dir = home.dataDir().resolve("bench").resolve("run-" + ProcessHandle.current().pid());
        DemoCommand.deleteRecursively(dir);
        Files.createDirectories(dir);
        ArrayNode results = JSON.createArrayNode();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
                RegistryServer registry = RegistryServer.start(home, dir.resolve("registry"), 0)) {
            Endpoints endpoints = new Endpoints(kafka.bootstrapServers(), registry.url(), null);
            new Provisioner(endpoints, log).provision();
            BenchContext context =
                    new BenchContext(
                            home,
                            dir,
                            endpoints,
                            new TopicClients(endpoints),
                            log,
                            JSON,
                            scale,
                            Duration.ofMillis(Math.round(sustainedMinutes * 60_000)),
                            checkpoints);
            for (BenchEntry entry : ENTRIES) {
                if (only.isEmpty() || only.contains(entry.name())) {
                    log.printf("%n== %s ==%n", entry.name());
                    results.add(entry.run(context));
                }
            }
        }
        DemoCommand.deleteRecursively(dir);
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        }
        return 0;
    }
}
