package dev.marquee.metadata;

import dev.marquee.cli.ClientOptions;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.cli.UserError;
import dev.marquee.io.AvroJson;
import dev.marquee.registry.RegistryException;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.FeedRecord;
import dev.marquee.topics.Topic;
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
 * {@code metadata parse|ingest FILE} (vendor feeds, JSON lines or MEC XML, to metadata.feed.raw)
 * and {@code metadata reconcile} (the nightly check of catalog.titles against a replay of the whole
 * feed history). Exit codes: 0 all good, 1 some records bad (or differences found), 2 the file or
 * the stack cannot be used at all.
 */
@Command(
        name = "metadata",
        mixinStandardHelpOptions = true,
        description = "Studio metadata feeds: ingest, and reconcile the catalog.",
        subcommands = {
            MetadataCommand.Parse.class,
            MetadataCommand.Ingest.class,
            ReconcileCommand.class
        })
public final class MetadataCommand implements Runnable {
    static final String JOB = "metadata ingest";

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Options both file commands share. */
    static class FileOptions {
        @Parameters(index = "0", paramLabel = "FILE", description = "JSON lines or MEC XML")
        String file;

        @Option(
                names = "--vendor",
                description = "Vendor to assume when records do not say (MEC: default Source)")
        String vendor;

        @Option(names = "--feed", description = "Name of the feed (default: the vendor)")
        String feed;

        @Option(
                names = "--ingested-at",
                paramLabel = "INSTANT",
                description = "Ingest time to record (default: now), e.g. 2026-11-20T08:00:00Z")
        String ingestedAt;

        List<FeedFile.Entry> read() {
            Path path = MarqueeHome.detect().userFile(Path.of(file));
            if (!Files.isRegularFile(path)) {
                throw new UserError("no such file: " + file);
            }
            Instant at = Instant.now();
            if (ingestedAt != null) {
                try {
                    at = Instant.parse(ingestedAt);
                } catch (DateTimeParseException e) {
                    throw new UserError(
                            "--ingested-at '"
                                    + ingestedAt
                                    + "' is not an instant like 2026-11-20T08:00:00Z");
                }
            }
            try {
                return FeedFile.read(path, new FeedFile.Context(feed, vendor, at));
            } catch (FeedFile.NotAFeedException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    /** Problems and repairs on stderr, one per line; returns how many records were bad. */
    static int report(List<FeedFile.Entry> entries, PrintStream err) {
        int bad = 0;
        for (FeedFile.Entry e : entries) {
            if (!e.ok()) {
                bad++;
                err.println("error: " + e.where() + ": " + e.problem());
                continue;
            }
            for (String flag : e.record().getFlags()) {
                if (flag.startsWith(FeedRecords.MOJIBAKE_FLAG + ":")) {
                    err.println(
                            "note: "
                                    + e.where()
                                    + ": repaired a double-encoded UTF-8 title ("
                                    + flag.substring(flag.indexOf(':') + 1)
                                    + ")");
                } else if (flag.startsWith(FeedRecords.INVALID_ID_FLAG + ":")) {
                    err.println(
                            "note: "
                                    + e.where()
                                    + ": identifier "
                                    + flag.substring(flag.indexOf(':') + 1)
                                    + " fails validation; kept as a flagged alias, never an anchor");
                }
            }
        }
        return bad;
    }

    @Command(
            name = "parse",
            mixinStandardHelpOptions = true,
            description =
                    "One normalized feed record (JSON) per line on stdout; problems on stderr. Exit 0"
                            + " all good, 1 some records bad, 2 not a feed file.")
    static final class Parse implements Callable<Integer> {
        @Mixin FileOptions options = new FileOptions();

        @Override
        public Integer call() {
            List<FeedFile.Entry> entries = options.read();
            for (FeedFile.Entry e : entries) {
                if (e.ok()) {
                    System.out.println(AvroJson.toJsonString(e.record()));
                }
            }
            System.out.flush();
            return report(entries, System.err) == 0 ? 0 : 1;
        }
    }

    @Command(
            name = "ingest",
            mixinStandardHelpOptions = true,
            description =
                    "Publish good records to metadata.feed.raw and bad ones, with the reason, to"
                            + " metadata.feed.raw.dlq; counts on stderr. Exit 0 all good, 1 some bad,"
                            + " 2 not a feed file or no stack.")
    static final class Ingest implements Callable<Integer> {
        @Mixin FileOptions options = new FileOptions();

        @Mixin ClientOptions client = new ClientOptions();

        @Override
        public Integer call() {
            List<FeedFile.Entry> entries = options.read();
            int bad = report(entries, System.err);
            Counts counts = publish(new TopicClients(client.endpoints()), entries);
            System.err.printf(
                    "metadata %s: %d record(s) published to %s, %d bad record(s) to %s%n",
                    options.file,
                    counts.good(),
                    Topic.METADATA_FEED_RAW.topicName(),
                    counts.bad(),
                    Topic.METADATA_FEED_RAW.dlqName());
            if (bad > 0) {
                System.err.printf(
                        "metadata %s: %d of %d record(s) were bad (reasons above, and on %s)%n",
                        options.file, bad, entries.size(), Topic.METADATA_FEED_RAW.dlqName());
            }
            return bad == 0 ? 0 : 1;
        }
    }

    /** How many records went where. */
    public record Counts(int good, int bad) {}

    /**
     * Good records to metadata.feed.raw (key vendor:recordId, timestamp = ingest time), bad ones to
     * its DLQ with the reason and the original text. Used by ingest, the demo and the tests.
     */
    public static Counts publish(TopicClients clients, List<FeedFile.Entry> entries) {
        String topic = Topic.METADATA_FEED_RAW.topicName();
        String dlq = Topic.METADATA_FEED_RAW.dlqName();
        List<String> good = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (FeedFile.Entry e : entries) {
            if (e.ok()) {
                good.add(AvroJson.toJsonString(e.record()));
            } else {
                bad.add(
                        AvroJson.toJsonString(
                                DeadLetter.newBuilder()
                                        .setSourceTopic(topic)
                                        .setKey(e.key())
                                        .setPayloadJson(e.raw())
                                        .setReason(e.where() + ": " + e.problem())
                                        .setCategory(DeadLetterCategory.INVALID)
                                        .setJob(JOB)
                                        .setFailedAt(Instant.now())
                                        .build()));
            }
        }
        clients.requireTopicExists(topic);
        clients.requireRegistry();
        int sent = 0;
        int dead = 0;
        try (RecordPublisher publisher = new RecordPublisher(clients)) {
            if (!good.isEmpty()) {
                sent = publisher.publishJsonLines(topic, good, "feed");
            }
            if (!bad.isEmpty()) {
                dead = publisher.publishJsonLines(dlq, bad, "dead letters");
            }
        } catch (RegistryException e) {
            throw new UserError("the registry refused a schema: " + e.getMessage());
        }
        return new Counts(sent, dead);
    }

    /** The records of a feed file (for the demo and tests, which publish them themselves). */
    public static List<FeedRecord> goodRecords(List<FeedFile.Entry> entries) {
        return entries.stream().filter(FeedFile.Entry::ok).map(FeedFile.Entry::record).toList();
    }
}
