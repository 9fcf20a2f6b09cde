package dev.marquee.cli;

import dev.marquee.avails.AvailsCommand;
import dev.marquee.bench.BenchCommand;
import dev.marquee.demo.DemoCommand;
import dev.marquee.sql.SqlCommand;
import dev.marquee.stack.StackCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of bin/marquee. Each command is its own class; this only wires them. */
@Command(
        name = "marquee",
        mixinStandardHelpOptions = true,
        version = "marquee 0.1.0",
        description = "Run a studio catalog's life on a streaming platform as Flink jobs.",
        subcommands = {
            DemoCommand.class,
            StackCommand.class,
            JobsCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            SqlCommand.class,
            AuditCommand.class,
            AvailsCommand.class,
            dev.marquee.metadata.MetadataCommand.class,
            dev.marquee.metadata.EidrCommand.class,
            dev.marquee.rights.RightsCommand.class,
            dev.marquee.telemetry.TelemetryCommand.class,
            BenchCommand.class
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code; user errors print one clear sentence. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(
                (ex, cmd, parsed) -> {
                    Throwable cause = ex;
                    while (cause.getCause() != null && !(cause instanceof UserError)) {
                        cause = cause.getCause();
                    }
                    if (cause instanceof UserError user) {
                        System.err.println("marquee: " + user.getMessage());
                        return user.exitCode();
                    }
                    System.err.println("marquee: " + ex.getMessage());
                    ex.printStackTrace(System.err);
                    return 1;
                });
        return cli.execute(args);
    }
}
