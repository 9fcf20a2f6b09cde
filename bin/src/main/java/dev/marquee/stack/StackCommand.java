package dev.marquee.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.cli.MarqueeHome;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code marquee stack up|down|status}: a local Kafka broker, schema registry and Flink session
 * cluster running in the background on 127.0.0.1, for working with the jobs outside the embedded
 * demo (submitting them, the SQL client, a browser on the Flink web UI). See {@link LocalStack} for
 * what each step does and why.
 */
@Command(
        name = "stack",
        description = "Local Kafka, schema registry and Flink cluster in the background.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class})
public final class StackCommand implements Runnable {
    /** Exit code of {@code status} when nothing runs. */
    public static final int EXIT_NONE_RUNNING = 3;

    /** Exit code of {@code status} when some components run and others do not. */
    public static final int EXIT_PARTIAL = 4;

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static LocalStack stack() {
        return new LocalStack(MarqueeHome.detect(), System.out);
    }

    @Command(
            name = "up",
            description = {
                "Start Kafka (127.0.0.1:9092), the schema registry (http://127.0.0.1:8085) and a"
                        + " Flink session cluster (http://127.0.0.1:8081), create the topics and"
                        + " register the schemas.",
                "Components already running are left alone; data persists in .marquee/stack."
            })
    static final class Up implements Callable<Integer> {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Override
        public Integer call() {
            stack().up();
            return 0;
        }
    }

    @Command(
            name = "down",
            description = {
                "Stop the local stack (Flink, registry, Kafka). Topics, schemas, records and"
                        + " checkpoints stay in .marquee/stack for the next `stack up`."
            })
    static final class Down implements Callable<Integer> {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--purge", description = "Also delete .marquee/stack (all stack data).")
        boolean purge;

        @Override
        public Integer call() {
            stack().down(purge);
            return 0;
        }
    }

    @Command(
            name = "status",
            description = {
                "One line per component: running/stopped, pid, address, resident memory.",
                "Exit code 0 when everything runs, 3 when nothing does, 4 when only part does."
            })
    static final class Status implements Callable<Integer> {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--json", description = "One JSON object per component instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            List<LocalStack.Status> rows = stack().status();
            print(rows, json, System.out);
            long up = rows.stream().filter(LocalStack.Status::running).count();
            if (up == rows.size()) {
                return 0;
            }
            return up == 0 && rows.stream().allMatch(r -> r.state() == LocalStack.State.STOPPED)
                    ? EXIT_NONE_RUNNING
                    : EXIT_PARTIAL;
        }
    }

    static void print(List<LocalStack.Status> rows, boolean json, PrintStream out) {
        ObjectMapper mapper = new ObjectMapper();
        for (LocalStack.Status r : rows) {
            if (json) {
                ObjectNode node = mapper.createObjectNode();
                node.put("component", r.name());
                node.put("state", r.state().label());
                if (r.pid() > 0) {
                    node.put("pid", r.pid());
                } else {
                    node.putNull("pid");
                }
                node.put("address", r.address());
                if (r.rssBytes() >= 0) {
                    node.put("rssMb", r.rssBytes() / (1024 * 1024));
                } else {
                    node.putNull("rssMb");
                }
                out.println(node);
            } else {
                out.printf(
                        Locale.ROOT,
                        "%-18s %-13s %-10s %-32s %s%n",
                        r.name(),
                        r.state().label(),
                        r.pid() > 0 ? "pid " + r.pid() : "-",
                        r.address(),
                        r.rssBytes() >= 0 ? (r.rssBytes() / (1024 * 1024)) + " MB" : "-");
            }
        }
    }
}
