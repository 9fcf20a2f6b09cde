package dev.marquee.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.metadata.MetadataNormalizationJob;
import dev.marquee.jobs.metadata.MetadataTopology;
import dev.marquee.local.LocalFlink;
import dev.marquee.metadata.Eidr;
import dev.marquee.metadata.FeedRecords;
import dev.marquee.metadata.Reconciliation;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import dev.marquee.schema.Provenance;
import dev.marquee.stack.Ports;
import dev.marquee.topics.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench --only metadata-normalization}: feed records per second through the normalization
 * topology beside the raw read-and-decode baseline of the same records, and the identity graph's
 * state in bytes per title at two catalog sizes, to show state growing linearly in titles.
 *
 * <p>After one unmeasured replay (class loading and the JIT), each size is measured twice, each
 * time in the configuration it runs in for real:
 *
 * <ul>
 *   <li>the bounded replay (the nightly reconciliation's shape: decode, normalize, identity graph,
 *       no sinks, heap state) on a local MiniCluster, end to end (job start-up included) and in
 *       steady state;
 *   <li>the continuous job as deployed (exactly-once Kafka sinks, checkpoints every 30 s, RocksDB
 *       with incremental checkpoints and bloom filters, file checkpoint storage) in steady state,
 *       then a savepoint of it once the graph has taken everything in: its size over the titles is
 *       the state per title.
 * </ul>
 *
 * <p>Steady state is read off the running job the way Nexmark does: the job's REST API is polled
 * every {@value #POLL_MS} ms (vertex metrics refreshed as often) and the rate is the records the
 * identity graph took in from the first poll that saw the source emit to the first that saw the
 * graph hold them all, over that time. Each figure says how many cores other processes kept busy
 * meanwhile (the machine may be shared).
 *
 * <p>The baseline is {@link BenchContext#baseline}, as every entry reports it: one consumer's read
 * and decode of the same records with the jobs' decoder, best of two reads, timed from its first
 * batch to its last record (steady, like the job's figure). The goal compares the two.
 *
 * <p>The synthetic feed: distinct works (pronounceable invented titles, years 1950-2025, runtimes
 * 80-180 min) with a valid EIDR for half of them and an IMDb id for the others, and one in five
 * described again by a second vendor under another id spelling (so merges happen).
 */
public final class MetadataBench implements BenchEntry {
    static final long POLL_MS = 50;

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
        // The baseline's best read is a warm one; so is the job's: one replay unmeasured first
        // (class loading and the JIT would otherwise be counted against the first size).
        context.log().println("  warm-up: one unmeasured replay");
        replay(context, records, "warm-up");
        Size small = measure(context, records, works, "small");
        context.log().printf("metadata-normalization: loading %,d more works...%n", works);
        records += load(clients, works, works);
        Size large = measure(context, records, 2 * works, "large");

        // The baseline: one consumer's raw read and decode with the jobs' decoder, best of two
        // reads, timed from its first batch to its last record like the job's steady rate.
        double baseline = context.baseline(Topic.METADATA_FEED_RAW, FeedRecord.class, records);
        context.log()
                .printf(
                        "  baseline, raw read + decode of the %,d records (best of two, steady):"
                                + " %,.0f records/s%n",
                        records, baseline);
        context.log()
                .printf(
                        "  job at %,d titles, steady: %,.0f records/s as deployed = %.3fx the"
                                + " baseline (goal: at least 0.5x); replay %,.0f records/s ="
                                + " %.3fx%n",
                        large.titles(),
                        large.liveSteady(),
                        large.liveSteady() / baseline,
                        large.replaySteady(),
                        large.replaySteady() / baseline);
        context.log()
                .printf(
                        "  job with start-up (replay): %,.0f records/s = %.3fx the baseline%n",
                        large.replayWithStart(), large.replayWithStart() / baseline);
        context.log()
                .printf(
                        "  other processes kept %.1f of %d cores busy while the large size was"
                                + " measured (0 on a quiet machine)%n",
                        large.otherCores(), Runtime.getRuntime().availableProcessors());
        context.log()
                .printf(
                        "  state: %s bytes/title at %,d titles, %s bytes/title at %,d titles"
                                + " (linear growth keeps bytes/title flat)%n",
                        bytes(small.bytesPerTitle()),
                        small.titles(),
                        bytes(large.bytesPerTitle()),
                        large.titles());
        result.put("records", records);
        result.put("otherProcessesCores", Math.round(large.otherCores() * 10) / 10.0);
        result.put("baselineRecordsPerSecond", Math.round(baseline));
        result.put("recordsPerSecond", Math.round(large.liveSteady()));
        result.put("ratio", ratio(large.liveSteady(), baseline));
        result.put("replayRecordsPerSecond", Math.round(large.replaySteady()));
        result.put("replayRatio", ratio(large.replaySteady(), baseline));
        result.put("replayRecordsPerSecondWithStartUp", Math.round(large.replayWithStart()));
        result.put("replayRatioWithStartUp", ratio(large.replayWithStart(), baseline));
        ObjectNode bySize = result.putObject("recordsPerSecondBySize");
        for (Size s : List.of(small, large)) {
            ObjectNode n = bySize.putObject(Integer.toString(s.titles()));
            n.put("records", s.records());
            n.put("liveSteady", Math.round(s.liveSteady()));
            n.put("replaySteady", Math.round(s.replaySteady()));
            n.put("replayWithStartUp", Math.round(s.replayWithStart()));
            n.put("otherProcessesCores", Math.round(s.otherCores() * 10) / 10.0);
        }
        ObjectNode state = result.putObject("stateBytesPerTitle");
        state.put(Integer.toString(small.titles()), Math.round(small.bytesPerTitle()));
        state.put(Integer.toString(large.titles()), Math.round(large.bytesPerTitle()));
        return result;
    }

    private static double ratio(double rate, double baseline) {
        return Math.round(rate / baseline * 1000) / 1000.0;
    }

    private static String bytes(double perTitle) {
        return Double.isNaN(perTitle)
                ? "(not measured)"
                : String.format("%,d", Math.round(perTitle));
    }

    record Size(
            int records,
            int titles,
            double replayWithStart,
            double replaySteady,
            double liveSteady,
            double bytesPerTitle,
            double otherCores) {}

    /**
     * What the REST polls saw: the steady-state rate (NaN when the job never got going), and how
     * many cores other processes kept busy meanwhile (the machine is shared: a figure taken while
     * another program ran is not this job's).
     */
    record Progress(long first, long firstNanos, long lastNanos, long total, double otherCores) {
        double rate() {
            return lastNanos > firstNanos
                    ? (total - first) / ((lastNanos - firstNanos) / 1e9)
                    : Double.NaN;
        }
    }

    /** Both runs at one size; see the class comment. */
    private Size measure(BenchContext context, int records, int titles, String label)
            throws Exception {
        // 1. The bounded replay: heap state, no sinks, every title version collected.
        Replay r = replay(context, records, label);
        Progress replayProgress = r.progress();
        double withStart = r.withStart();
        int produced = r.titles();
        context.log()
                .printf(
                        "  replay: %,d records -> %,d titles: %,.0f records/s steady, %,.0f"
                                + " records/s with job start-up (other processes: %.1f cores)%n",
                        records,
                        produced,
                        replayProgress.rate(),
                        withStart,
                        replayProgress.otherCores());
        if (produced != titles) {
            context.log().printf("  (expected %,d titles)%n", titles);
        }

        // 2. The job as deployed, continuously; then a savepoint of it for the state size.
        Path savepoints = context.dir().resolve("metadata-savepoints-" + label);
        Path checkpoints = context.dir().resolve("metadata-checkpoints-" + label);
        Files.createDirectories(savepoints);
        // Checkpoints every 30 s, as deployed: at the 1 s the other runs use, every checkpoint
        // flushed RocksDB's memtable and committed the sinks' transactions several times a run.
        JobSettings live = settings(context, label + "-live", DEPLOYED_CHECKPOINT_INTERVAL);
        Configuration liveConf = live.pipelineConfiguration();
        liveConf.addAll(metricsConfiguration());
        // As in k8s/base/jobs/metadata-normalization.yaml. The checkpoints go to files: the
        // MiniCluster's default (the JobManager's memory) refuses a state over 5 MB, which the
        // graph passes at about 6,000 titles; every checkpoint then failed, the job restarted
        // over and over, and the savepoint found its tasks "not being executed at the moment".
        liveConf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        liveConf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        liveConf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        liveConf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(512));
        liveConf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        liveConf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints.toUri().toString());
        int livePort = Ports.freePort();
        StreamExecutionEnvironment liveEnv = LocalFlink.withWebUi(livePort, liveConf);
        MetadataNormalizationJob.wire(liveEnv, live, MetadataTopology.Settings.defaults());
        JobClient job = liveEnv.executeAsync("metadata-bench-state-" + label);
        try {
            Progress liveProgress =
                    poll(
                            "http://127.0.0.1:" + livePort,
                            job.getJobID().toString(),
                            records,
                            () -> false);
            context.log()
                    .printf(
                            "  job as deployed (RocksDB, exactly-once sinks): %,.0f records/s"
                                    + " steady (other processes: %.1f cores)%n",
                            liveProgress.rate(), liveProgress.otherCores());
            // The size's figures, given the state per title (NaN when no savepoint was taken).
            java.util.function.DoubleFunction<Size> sized =
                    bytesPerTitle ->
                            new Size(
                                    records,
                                    produced,
                                    withStart,
                                    replayProgress.rate(),
                                    liveProgress.rate(),
                                    bytesPerTitle,
                                    Math.max(
                                            replayProgress.otherCores(),
                                            liveProgress.otherCores()));
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
                    if (attempt >= 3) {
                        context.log()
                                .printf(
                                        "  state: no savepoint of the running job (%s); not"
                                                + " measured%n",
                                        e.getCause().getMessage());
                        job.cancel().get();
                        return sized.apply(Double.NaN);
                    }
                    context.log()
                            .printf(
                                    "  (savepoint refused, retrying: %s)%n",
                                    e.getCause().getMessage());
                    Thread.sleep(3000);
                }
            }
            long bytes = size(Path.of(java.net.URI.create(savepoint)));
            context.log().printf("  savepoint: %,d bytes for %,d titles%n", bytes, produced);
            return sized.apply((double) bytes / produced);
        } catch (Exception e) {
            job.cancel().get();
            throw e;
        }
    }

    record Replay(Progress progress, double withStart, int titles) {}

    /** One bounded replay of the whole feed on a MiniCluster of its own, polled over REST. */
    private Replay replay(BenchContext context, int records, String label) throws Exception {
        Configuration conf = metricsConfiguration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, true);
        int port = Ports.freePort();
        StreamExecutionEnvironment env = LocalFlink.withWebUi(port, conf);
        var out =
                MetadataNormalizationJob.replay(
                        env,
                        settings(context, label + "-replay"),
                        MetadataTopology.Settings.defaults());
        CloseableIterator<CanonicalTitle> titlesOut = out.titles().collectAsync();
        long start = System.nanoTime();
        JobClient replay = env.executeAsync("metadata-bench-" + label);
        List<CanonicalTitle> versions = new ArrayList<>();
        Thread collector =
                new Thread(
                        () -> {
                            try (titlesOut) {
                                titlesOut.forEachRemaining(versions::add);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "metadata-bench-collect");
        collector.start();
        Progress progress =
                poll(
                        "http://127.0.0.1:" + port,
                        replay.getJobID().toString(),
                        records,
                        () -> !collector.isAlive());
        collector.join();
        replay.getJobExecutionResult().get();
        double withStart = records / ((System.nanoTime() - start) / 1e9);
        return new Replay(progress, withStart, Reconciliation.catalog(versions).size());
    }

    /** REST metrics as fresh as the polls that read them. */
    private static Configuration metricsConfiguration() {
        Configuration conf = new Configuration();
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(POLL_MS));
        return conf;
    }

    /**
     * Polls the job until its identity graph has taken in {@code total} records: the source chain's
     * records out mark the start, the graph's records in the progress. A bounded job's MiniCluster
     * goes away with it, so once {@code ended} says so, or the REST API stops answering after the
     * records started flowing, the job counts as done at that poll (an upper bound on its time).
     */
    static Progress poll(String rest, String jobId, long total, BooleanSupplier ended)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long first = -1;
        long firstNanos = 0;
        CpuShare cpu = new CpuShare();
        while (System.nanoTime() < deadline) {
            if (first >= 0) {
                cpu.sample();
            }
            JsonNode job = null;
            try {
                job = JobProgress.getJson(rest + "/jobs/" + jobId);
            } catch (IOException unreachable) {
                // not up yet, or (bounded job) already gone
            }
            long now = System.nanoTime();
            if (job == null) {
                if (first >= 0 || ended.getAsBoolean()) {
                    return first < 0
                            ? new Progress(0, 0, 0, total, Double.NaN)
                            : new Progress(first, firstNanos, now, total, cpu.otherCores());
                }
                Thread.sleep(POLL_MS);
                continue;
            }
            long emitted = 0;
            long graphIn = 0;
            for (JsonNode vertex : job.path("vertices")) {
                String name = vertex.path("name").asText();
                if (name.startsWith("Source: metadata.feed.raw")) {
                    emitted = vertex.path("metrics").path("write-records").asLong();
                } else if (name.startsWith("identity graph")) {
                    graphIn = vertex.path("metrics").path("read-records").asLong();
                }
            }
            if (first < 0 && emitted > 0) {
                first = graphIn;
                firstNanos = now;
            }
            if (graphIn >= total || ended.getAsBoolean()) {
                return first < 0
                        ? new Progress(0, 0, 0, total, Double.NaN)
                        : new Progress(first, firstNanos, now, total, cpu.otherCores());
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("the job did not take in " + total + " records in 10 min");
    }

    /** The machine's CPU use minus this JVM's, averaged over samples, in cores. */
    static final class CpuShare {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private double sum;
        private int samples;

        CpuShare() {
            os.getCpuLoad();
            os.getProcessCpuLoad();
        }

        void sample() {
            double machine = os.getCpuLoad();
            double mine = os.getProcessCpuLoad();
            if (machine >= 0 && mine >= 0) {
                sum += Math.max(0, machine - mine) * os.getAvailableProcessors();
                samples++;
            }
        }

        double otherCores() {
            return samples == 0 ? Double.NaN : sum / samples;
        }
    }

    /** execution.checkpointing.interval in k8s/base/jobs/metadata-normalization.yaml. */
    static final Duration DEPLOYED_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);

    private static JobSettings settings(BenchContext context, String instance) {
        return settings(context, instance, Duration.ofSeconds(1));
    }

    private static JobSettings settings(
            BenchContext context, String instance, Duration checkpointInterval) {
        return JobSettings.local(
                context.endpoints().bootstrapServers(),
                context.endpoints().registryUrl(),
                checkpointInterval,
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
        AtomicReference<Exception> failed = new AtomicReference<>();
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
                                    serializer.serialize(normalized)),
                            (metadata, e) -> {
                                if (e != null) {
                                    failed.compareAndSet(null, e);
                                }
                            });
                    sent++;
                }
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException(
                    "Kafka refused part of the feed: " + failed.get().getMessage(), failed.get());
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
