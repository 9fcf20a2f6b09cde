package dev.marquee.rights;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code rights eval} and {@code rights test}: the offline rights evaluator. */
@Command(
        name = "rights",
        mixinStandardHelpOptions = true,
        description = "Evaluate rights offline: availability queries and rights-as-code scenarios.",
        subcommands = {RightsEvalCommand.class, RightsTestCommand.class})
public final class RightsCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
