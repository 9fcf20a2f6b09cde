package dev.marquee.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.metadata.MetadataNormalizationJob;
import dev.marquee.jobs.metadata.MetadataTopology;
import dev.marquee.metadata.Eidr;
import dev.marquee.metadata.FeedRecords;
import dev.marquee.metadata.Reconciliation;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import dev.marquee.schema.Provenance;
import dev.marquee.topics.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench --only metadata-normalization}: feed records per second through the normalization
 * topology (decode, normalize, identity graph; a bounded replay on a local MiniCluster, start-up
 * included) beside the raw read-and-decode baseline of the same records, and the identity graph's
 * state in bytes per title (the size of a savepoint of the running job divided by its titles) at
 * two catalog sizes, to show state growing linearly in titles.
 *
 * <p>The synthetic feed: distinct works (pronounceable invented titles, years 1950-2025, runtimes
 * 80-180 min) with a valid EIDR for half of them and an IMDb id for the others, and one in five
 * described again by a second vendor under another id spelling (so merges happen).
 */
public final class MetadataBench implements BenchEntry {
    private static final String[] SYLLABLES = {
        "ka", "lo", "mi", "ren", "sul", "tor", "va", "qui", "zen", "dra", "fel", "gor", "hy", "ist",
        "jo", "mar", "nev", "os", "pla", "ruk", "sta", "umb", "wex", "yal"
    };

    @Override
    public String name() {
        return "metadata-normalization";
    }

    @Override
    public ObjectNode run(BenchContext context) throws Exception {
        int works = context.scaled(2_000);
        ObjectNode result = context.json().createObjectNode();
        result.put("job", name());
        TopicClients clients = context.clients();

        context.log().printf("metadata-normalization: loading %,d works...%n", works);
        int records = load(clients, 0, works);
        Size small = measure(context, records, works, "small");
        context.log().printf("metadata-normalization: loading %,d more works...%n", works);
        records += load(clients, works, works);
        Size large = measure(context, records, 2 * works, "large");

        double baseline = context.baseline(Topic.METADATA_FEED_RAW, FeedRecord.class, records);
        context.log()
                .printf(
                        "  baseline (raw read + decode): %,.0f records/s; job: %,.0f records/s"
                                + " (%.2fx baseline; goal: at least 0.5x)%n",
                        baseline, large.rate(), large.rate() / baseline);
        context.log()
                .printf(
                        "  state: %,d bytes/title at %,d titles, %,d bytes/title at %,d titles"
                                + " (linear growth keeps bytes/title flat)%n",
                        Math.round(small.bytesPerTitle()),
                        small.titles(),
                        Math.round(large.bytesPerTitle()),
                        large.titles());
        result.put("records", records);
        result.put("baselineRecordsPerSecond", Math.round(baseline));
        result.put("recordsPerSecond", Math.round(large.rate()));
        result.put("ratio", Math.round(large.rate() / baseline * 100) / 100.0);
        result.put("recordsPerSecondSmall", Math.round(small.rate()));
        ObjectNode state = result.putObject("stateBytesPerTitle");
        state.put(Integer.toString(small.titles()), Math.round(small.bytesPerTitle()));
        state.put(Integer.toString(large.titles()), Math.round(large.bytesPerTitle()));
        return result;
    }

    record Size(double rate, int titles, double bytesPerTitle) {}

    /** Throughput of a bounded replay, then state size from a savepoint of the running job. */
    private Size measure(BenchContext context, int records, int titles, String label)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, true);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.bind(conf));
        env.setParallelism(2);
        JobSettings settings = settings(context, label + "-replay");
        var out =
                MetadataNormalizationJob.replay(
                        env, settings, MetadataTopology.Settings.defaults());
        long start = System.nanoTime();
        List<CanonicalTitle> versions = new ArrayList<>();
        try (var it = out.titles().executeAndCollect("metadata-bench-" + label)) {
            it.forEachRemaining(versions::add);
        }
        double rate = records / ((System.nanoTime() - start) / 1e9);
        int produced = Reconciliation.catalog(versions).size();
        context.log()
                .printf(
                        "  %,d records -> %,d titles: %,.0f records/s end to end (job start-up included)%n",
                        records, produced, rate);
        if (produced != titles) {
            context.log().printf("  (expected %,d titles)%n", titles);
        }

        // State: run the job continuously, let it take everything in, savepoint it, measure.
        Path savepoints = context.dir().resolve("metadata-savepoints-" + label);
        Files.createDirectories(savepoints);
        JobSettings live = settings(context, label + "-live");
        Configuration liveConf = live.pipelineConfiguration();
        liveConf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints.toUri().toString());
        StreamExecutionEnvironment liveEnv =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.bind(liveConf));
        liveEnv.setParallelism(2);
        MetadataNormalizationJob.wire(liveEnv, live, MetadataTopology.Settings.defaults());
        JobClient job = liveEnv.executeAsync("metadata-bench-state-" + label);
        try {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            while (Instant.now().isBefore(deadline)
                    && Reconciliation.catalog(
                                            context.clients()
                                                    .readAll(
                                                            Topic.CATALOG_TITLES.topicName(),
                                                            CanonicalTitle.class))
                                    .size()
                            < produced) {
                Thread.sleep(1000);
            }
            String savepoint = null;
            for (int attempt = 1; savepoint == null; attempt++) {
                try {
                    savepoint =
                            job.stopWithSavepoint(
                                            false,
                                            savepoints.toUri().toString(),
                                            SavepointFormatType.CANONICAL)
                                    .get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // A task restarting (e.g. after a slow checkpoint on a loaded machine)
                    // refuses the savepoint for a moment: try again.
                    if (attempt >= 10) {
                        context.log()
                                .printf(
                                        "  state: no savepoint of the running job (%s); not measured%n",
                                        e.getCause().getMessage());
                        job.cancel();
                        return new Size(rate, produced, Double.NaN);
                    }
                    context.log()
                            .printf(
                                    "  (savepoint refused, retrying: %s)%n",
                                    e.getCause().getMessage());
                    Thread.sleep(3000);
                }
            }
            long bytes = size(Path.of(java.net.URI.create(savepoint)));
            return new Size(rate, produced, (double) bytes / produced);
        } catch (Exception e) {
            job.cancel();
            throw e;
        }
    }

    private static JobSettings settings(BenchContext context, String instance) {
        return JobSettings.local(
                context.endpoints().bootstrapServers(),
                context.endpoints().registryUrl(),
                Duration.ofSeconds(1),
                "bench-" + instance + "-" + System.nanoTime());
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Publishes works [first, first + count); returns how many records that took. */
    static int load(TopicClients clients, int first, int count) throws Exception {
        var serializer =
                RegistryAvroSerializationSchema.forSpecific(
                        FeedRecord.class,
                        new ConfluentSchemaCoder.Provider(
                                Topic.METADATA_FEED_RAW.subject(), clients.registryConfig()));
        Instant ingested = Instant.parse("2026-11-20T08:00:00Z");
        int sent = 0;
        try (KafkaProducer<String, byte[]> producer = clients.producer()) {
            for (int w = first; w < first + count; w++) {
                Random r = new Random(w);
                String title = title(r);
                int year = 1950 + r.nextInt(76);
                int runtime = 80 + r.nextInt(100);
                String digits = String.format(Locale.ROOT, "%020X", (long) w * 7919L + 1);
                String eidr = Eidr.PREFIX + digits + Eidr.checkCharacter(digits);
                String imdb = String.format(Locale.ROOT, "tt%08d", w + 1);
                boolean hasEidr = w % 2 == 0;
                List<FeedRecord> out = new ArrayList<>();
                out.add(
                        record(
                                "acme",
                                "A-" + w,
                                title,
                                year,
                                runtime,
                                hasEidr ? eidr : imdb,
                                ingested));
                if (w % 5 == 0) {
                    String other =
                            hasEidr
                                    ? "urn:eidr:10.5240:" + eidr.substring(Eidr.PREFIX.length())
                                    : "https://www.imdb.com/title/" + imdb + "/";
                    out.add(record("beta", "B-" + w, title, year, runtime + 1, other, ingested));
                }
                for (FeedRecord record : out) {
                    FeedRecord normalized = FeedRecords.normalize(record).record();
                    producer.send(
                            new ProducerRecord<>(
                                    Topic.METADATA_FEED_RAW.topicName(),
                                    null,
                                    ingested.toEpochMilli(),
                                    FeedRecords.key(normalized),
                                    serializer.serialize(normalized)));
                    sent++;
                }
            }
            producer.flush();
        }
        return sent;
    }

    private static FeedRecord record(
            String vendor,
            String id,
            String title,
            int year,
            int runtime,
            String identifier,
            Instant at) {
        return FeedRecord.newBuilder()
                .setVendor(vendor)
                .setVendorRecordId(id)
                .setIdentifiers(
                        List.of(Identifier.newBuilder().setScheme("").setValue(identifier).build()))
                .setTitles(
                        List.of(
                                LocalizedTitle.newBuilder()
                                        .setLocale("en-US")
                                        .setText(title)
                                        .build()))
                .setReleaseYear(year)
                .setRuntimeMinutes(runtime)
                .setProvenance(
                        Provenance.newBuilder()
                                .setSourceFeed(vendor)
                                .setFile("bench.jsonl")
                                .setIngestedAt(at)
                                .build())
                .build();
    }

    private static String title(Random r) {
        StringBuilder s = new StringBuilder();
        int words = 2 + r.nextInt(2);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                s.append(' ');
            }
            int syllables = 2 + r.nextInt(2);
            StringBuilder word = new StringBuilder();
            for (int j = 0; j < syllables; j++) {
                word.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            s.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
        }
        return s.toString();
    }
}
