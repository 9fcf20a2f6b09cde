package dev.marquee.demo;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.sql.SqlClientLauncher;
import dev.marquee.topics.Topic;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The parts of {@code demo --check} beyond the Java read-back: the same results read through the
 * Flink SQL client (the catalog's avro-confluent tables) and through a client that shares no code
 * with Marquee (librdkafka + Python's Avro library, fetching the writer schema from the registry).
 * Each stage that fails is named.
 */
final class DemoCheck {
    private final MarqueeHome home;
    private final Endpoints endpoints;
    private final DemoSlate slate;
    private final DemoResults results;
    private final PrintStream out;

    DemoCheck(
            MarqueeHome home,
            Endpoints endpoints,
            DemoSlate slate,
            DemoResults results,
            PrintStream out) {
        this.home = home;
        this.endpoints = endpoints;
        this.slate = slate;
        this.results = results;
        this.out = out;
    }

    /** Runs the checks; returns one message per failed check. */
    List<String> run() throws Exception {
        List<String> failures = new ArrayList<>();
        out.println();
        out.println("[check] reading rights.intake.counts back through the Flink SQL client...");
        checkSql(failures);
        out.println(
                "[check] reading rights.intake.counts with python3-avro + librdkafka (no Marquee code)...");
        checkIndependentClient(failures);
        return failures;
    }

    private void checkSql(List<String> failures) throws Exception {
        Map<String, Long> expected = slate.expectedTotals();
        String sql =
                "SET 'execution.runtime-mode' = 'batch';\n"
                        + "SELECT territory, SUM(total) AS events FROM rights_intake_counts "
                        + "/*+ OPTIONS('scan.bounded.mode'='latest-offset') */ GROUP BY territory;\n";
        long t = System.nanoTime();
        // The SQL client runs the query in its own JVM: this JVM's MiniCluster has the jobs'
        // unshaded Kafka connector on its classpath, which clashes with the SQL connector jar.
        Endpoints sqlEndpoints = endpoints.override(null, null, SqlClientLauncher.LOCAL);
        SqlClientLauncher.Result result =
                SqlClientLauncher.runScript(home, sqlEndpoints, sql, Duration.ofMinutes(3));
        String output = result.output();
        int matched = matchingRows(output, expected);
        out.printf(
                "  SQL client: exit %d, %d/%d territory totals match (%.1f s)%n",
                result.exitCode(), matched, expected.size(), (System.nanoTime() - t) / 1e9);
        if (result.exitCode() != 0 || matched != expected.size()) {
            failures.add("SQL client read-back (output in .marquee/demo/sql-check.log)");
        }
        Files.writeString(
                home.dataDir().resolve("demo/sql-check.log"), output, StandardCharsets.UTF_8);
    }

    /**
     * How many of the expected (label, count) pairs appear as a row {@code | label | count |} in
     * the SQL client's table output.
     */
    static int matchingRows(String output, Map<String, Long> expected) {
        int matched = 0;
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            String row = ".*\\|\\s*" + e.getKey() + "\\s*\\|\\s*" + e.getValue() + "\\s*\\|.*";
            if (output.lines().anyMatch(l -> l.matches(row))) {
                matched++;
            }
        }
        return matched;
    }

    private void checkIndependentClient(List<String> failures)
            throws IOException, InterruptedException {
        String python = "/usr/bin/python3";
        var script = home.root().resolve("bin/wire_check.py");
        int expected = results.counts().size();
        Process process =
                new ProcessBuilder(
                                python,
                                script.toString(),
                                endpoints.bootstrapServers(),
                                endpoints.registryUrl(),
                                Topic.RIGHTS_INTAKE_COUNTS.topicName(),
                                "--expect",
                                Integer.toString(expected))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        long decoded = output.lines().filter(l -> l.startsWith("{")).count();
        out.printf("  python3-avro: decoded %d/%d records%n", decoded, expected);
        if (!finished || process.exitValue() != 0 || decoded != expected) {
            failures.add(
                    "independent client read-back: "
                            + output.lines()
                                    .filter(l -> !l.startsWith("{"))
                                    .reduce("", (a, b) -> a + " " + b)
                                    .trim());
        }
    }
}
