package dev.marquee.avails;

import dev.marquee.cli.ClientOptions;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.cli.UserError;
import dev.marquee.io.AvroJson;
import dev.marquee.registry.RegistryException;
import dev.marquee.schema.RightEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code avails parse FILE} and {@code avails ingest FILE}: EMA Avails (XML v2.x or the Excel
 * template) to normalized rights. Exit 0 when every transaction parsed, 1 when some failed (the
 * good ones are still printed or published), 2 when the file is unreadable or not Avails.
 */
@Command(
        name = "avails",
        mixinStandardHelpOptions = true,
        description = "EMA Avails (XML, and the Excel template) to normalized rights.",
        subcommands = {AvailsCommand.Parse.class, AvailsCommand.Ingest.class})
public final class AvailsCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Options both subcommands share. */
    static class FileOptions {
        @Parameters(index = "0", paramLabel = "FILE", description = "Avails .xml or .xlsx")
        String file;

        @Option(
                names = "--issued-at",
                paramLabel = "INSTANT",
                description =
                        "Issue time for avails without an IssueDate (default: the file's"
                                + " last-modified time), e.g. 2026-11-20T08:00:00Z")
        String issuedAt;

        AvailsResult parse() {
            Path path = MarqueeHome.detect().userFile(Path.of(file));
            if (!Files.isRegularFile(path)) {
                throw new UserError("no such file: " + file);
            }
            try {
                if (issuedAt == null) {
                    return AvailsParser.parse(path);
                }
                Instant at;
                try {
                    at = Instant.parse(issuedAt);
                } catch (DateTimeParseException e) {
                    throw new UserError(
                            "--issued-at '"
                                    + issuedAt
                                    + "' is not an instant like 2026-11-20T08:00:00Z");
                }
                return AvailsParser.parse(path, at);
            } catch (NotAvailsException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    /** Errors and notes on stderr, one per line; the exit code the result deserves. */
    static int report(AvailsResult result, PrintStream err) {
        for (String note : result.notes()) {
            err.println("note: " + note);
        }
        for (String error : result.errors()) {
            err.println("error: " + error);
        }
        return result.complete() ? 0 : 1;
    }

    @Command(
            name = "parse",
            mixinStandardHelpOptions = true,
            description =
                    "One JSON right per line on stdout; errors on stderr. Exit 0 all parsed, 1 some"
                            + " transactions failed, 2 not an Avails file.")
    static final class Parse implements Callable<Integer> {
        @Mixin FileOptions options = new FileOptions();

        @Override
        public Integer call() {
            AvailsResult result = options.parse();
            for (RightEvent right : result.rights()) {
                System.out.println(AvroJson.toJsonString(right));
            }
            System.out.flush();
            return report(result, System.err);
        }
    }

    @Command(
            name = "ingest",
            mixinStandardHelpOptions = true,
            description = {
                "Parse, then publish the good rights to rights.events; counts on stderr. Exit"
                        + " codes as for parse.",
                "A Full Extract states all of its ALID's avails (per licensor): rights of that ALID"
                        + " already on rights.events and missing from the file are revoked; a"
                        + " Full Delete revokes every right of its ALID."
            })
    static final class Ingest implements Callable<Integer> {
        static final String TOPIC = "rights.events";

        @Mixin FileOptions options = new FileOptions();

        @Mixin ClientOptions client = new ClientOptions();

        @Option(
                names = "--no-implicit-revocations",
                description =
                        "Publish only the file's own rights: do not revoke rights a Full Extract"
                                + " leaves out or a Full Delete ends without listing them.")
        boolean noImplicitRevocations;

        @Override
        public Integer call() {
            AvailsResult result = options.parse();
            int exit = report(result, System.err);
            String fileName = Path.of(options.file).getFileName().toString();
            List<RightEvent> toPublish = new ArrayList<>(result.rights());
            ImplicitRevocations.Plan plan =
                    new ImplicitRevocations.Plan(List.of(), 0, 0, List.of());
            TopicClients clients = null;
            if (!noImplicitRevocations && !result.scopes().isEmpty()) {
                clients = clients();
                List<RightEvent> current;
                try {
                    current = clients.readAll(TOPIC, RightEvent.class);
                } catch (IOException | RuntimeException e) {
                    throw new UserError(
                            "cannot read "
                                    + TOPIC
                                    + " to find the rights this "
                                    + result.scopes().get(0).entryType()
                                    + " leaves out ("
                                    + e.getMessage()
                                    + "); use --no-implicit-revocations to publish only the file's"
                                    + " rights");
                }
                plan = ImplicitRevocations.plan(current, result, fileName);
                for (String note : plan.notes()) {
                    System.err.println("note: " + note);
                }
                toPublish.addAll(plan.revocations());
            }
            int sent = 0;
            if (!toPublish.isEmpty()) {
                List<String> lines = new ArrayList<>();
                for (RightEvent right : toPublish) {
                    lines.add(AvroJson.toJsonString(right));
                }
                if (clients == null) {
                    clients = clients();
                }
                try (RecordPublisher publisher = new RecordPublisher(clients)) {
                    sent = publisher.publishJsonLines(TOPIC, lines, options.file);
                } catch (RegistryException e) {
                    throw new UserError(
                            "the registry refused the schema for " + TOPIC + ": " + e.getMessage());
                }
            }
            System.err.printf(
                    "avails %s: %d right(s) published to %s (%d from the file, %d revoked as"
                            + " missing from a Full Extract, %d revoked by a Full Delete of their"
                            + " ALID), %d transaction(s) failed, %d not yet rights (conditions)%s%n",
                    options.file,
                    sent,
                    TOPIC,
                    result.rights().size(),
                    plan.missingFromExtract(),
                    plan.byFullDelete(),
                    result.errors().size(),
                    result.notes().size(),
                    noImplicitRevocations && !result.scopes().isEmpty()
                            ? "; implicit revocations off"
                            : "");
            return exit;
        }

        private TopicClients clients() {
            TopicClients clients = new TopicClients(client.endpoints());
            clients.requireTopicExists(TOPIC);
            clients.requireRegistry();
            return clients;
        }
    }
}
