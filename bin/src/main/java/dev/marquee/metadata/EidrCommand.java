package dev.marquee.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code eidr check ID...}: one JSON object per id with its status (VALID, BAD_CHECK, MALFORMED)
 * and canonical form (null when malformed); for a bad check character also the one the digits call
 * for. Exit 0 when every id is valid, 1 otherwise.
 */
@Command(
        name = "eidr",
        mixinStandardHelpOptions = true,
        description = "EIDR content ids.",
        subcommands = {EidrCommand.Check.class})
public final class EidrCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Validate EIDR ids in any spelling (10.5240/..., urn:eidr:10.5240:...,"
                            + " md:cid:eidr-s:...); one JSON line each. Exit 0 all valid, 1 otherwise.")
    static final class Check implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Parameters(arity = "1..*", paramLabel = "ID", description = "EIDR ids")
        List<String> ids = new ArrayList<>();

        @Override
        public Integer call() {
            boolean allValid = true;
            for (String id : ids) {
                Eidr.Check check = Eidr.check(id);
                ObjectNode out =
                        JSON.createObjectNode()
                                .put("input", id)
                                .put("status", check.status().name())
                                .put("canonical", check.canonical().orElse(null));
                check.expectedCheck()
                        .filter(c -> check.status() == Eidr.Status.BAD_CHECK)
                        .ifPresent(c -> out.put("expectedCheck", String.valueOf(c)));
                System.out.println(out);
                allValid &= check.valid();
            }
            return allValid ? 0 : 1;
        }
    }
}
