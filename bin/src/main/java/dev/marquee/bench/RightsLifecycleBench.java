package dev.marquee.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.rights.RightsLifecycleJob;
import dev.marquee.jobs.rights.RightsLifecycleTopology;
import dev.marquee.local.LocalFlink;
import dev.marquee.rights.Territories;
import dev.marquee.schema.RightEvent;
import dev.marquee.stack.Ports;
import dev.marquee.topics.Topic;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The rights lifecycle job at catalog scale: 10,000 titles, each licensed worldwide (ZZ, 249
 * countries) with a rolling local-date window, so 2.5 million keyed (title, country) lifecycles,
 * each with its state and one event-time timer, on RocksDB with incremental checkpoints.
 *
 * <p>Measured: keyed events per second through the job (every right fanned out per country, each
 * country's lifecycle decided and its availability written exactly once), beside the raw
 * read-and-decode baseline of the same rights; the size and duration of the first checkpoint after
 * the load; the time to restore that checkpoint in a new job until every task runs; and the heap
 * the whole bench JVM used. Goals on a 2-core machine: checkpoint under 10 s, restore under 30 s,
 * heap under 4 GB.
 */
public final class RightsLifecycleBench implements BenchEntry {

    @Override
    public String name() {
        return RightsLifecycleTopology.JOB;
    }

    @Override
    public ObjectNode run(BenchContext context) throws Exception {
        int titles = context.scaled(10_000);
        int countries = Territories.expand("ZZ").size();
        long keyed = (long) titles * countries;
        context.log()
                .printf(
                        "loading %,d worldwide rights (%,d titles x %d countries = %,d keyed"
                                + " lifecycles)...%n",
                        titles, titles, countries, keyed);
        load(context.clients(), titles);

        context.log().println("baseline: raw Kafka read + Avro decode of the same rights...");
        double baseline = context.baseline(Topic.RIGHTS_EVENTS, RightEvent.class, titles);
        context.log().printf("  %,.0f rights/s%n", baseline);

        Path checkpoints = context.dir().resolve("lifecycle-checkpoints");
        int port = Ports.freePort();
        String rest = "http://127.0.0.1:" + port;
        JobSettings settings =
                JobSettings.local(
                        context.endpoints().bootstrapServers(),
                        context.endpoints().registryUrl(),
                        Duration.ofSeconds(5),
                        "bench");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        context.log()
                .println(
                        "rights-lifecycle on a MiniCluster (parallelism 2, RocksDB, incremental"
                                + " checkpoints every 5 s)...");
        long start = System.nanoTime();
        JobClient job = start(settings, checkpoints, port, null);
        String jobId = job.getJobID().toString();
        long processed = 0;
        long peakHeap = 0;
        long lastReport = System.nanoTime();
        JobProgress progress =
                new JobProgress(
                        jobId,
                        "lifecycle per title and country",
                        JobProgress.Counter.READ,
                        Duration.ofMillis(500));
        while (processed < keyed) {
            Thread.sleep(1000);
            processed = progress.latest();
            peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                context.log()
                        .printf(
                                "  %,d / %,d keyed events (%.0f s)%n",
                                processed, keyed, (System.nanoTime() - start) / 1e9);
                lastReport = System.nanoTime();
            }
        }
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        double eventsPerSecond = keyed / seconds;
        double steady = progress.steadyRate(keyed);
        progress.close();
        context.log()
                .printf(
                        "  %,.0f keyed events/s while processing (%,.0f including job start, %.0f s"
                                + " in all); each right fans out to %d countries%n",
                        steady, eventsPerSecond, seconds, countries);

        JsonNode checkpoint = checkpointAfter(rest, jobId, System.currentTimeMillis());
        long stateBytes = checkpoint.path("state_size").asLong();
        long checkpointedBytes = checkpoint.path("checkpointed_size").asLong();
        long checkpointMillis = checkpoint.path("end_to_end_duration").asLong();
        String path = checkpoint.path("external_path").asText();
        JsonNode summary =
                JobProgress.getJson(rest + "/jobs/" + jobId + "/checkpoints").path("summary");
        long slowestMillis = summary.path("end_to_end_duration").path("max").asLong();
        long completedCheckpoints =
                JobProgress.getJson(rest + "/jobs/" + jobId + "/checkpoints")
                        .path("counts")
                        .path("completed")
                        .asLong();
        context.log()
                .printf(
                        "  checkpoint after the load: %,.0f MB of state (%,.0f MB uploaded"
                                + " incrementally) in %.1f s; slowest of the %d checkpoints taken"
                                + " while loading: %.1f s (goal: under 10 s)%n",
                        stateBytes / 1e6,
                        checkpointedBytes / 1e6,
                        checkpointMillis / 1e3,
                        completedCheckpoints,
                        slowestMillis / 1e3);
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        job.cancel().get();

        context.log().println("restoring that checkpoint in a new job...");
        long restoreStart = System.nanoTime();
        int restoredPort = Ports.freePort();
        JobClient restored = start(settings, checkpoints, restoredPort, path);
        awaitAllRunning("http://127.0.0.1:" + restoredPort, restored.getJobID().toString());
        double restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        restored.cancel().get();
        context.log()
                .printf(
                        "  restored and running in %.1f s (goal: under 30 s); peak heap %,d MB"
                                + " (goal: under 4 GB)%n",
                        restoreSeconds, peakHeap >> 20);

        ObjectNode entry = context.json().createObjectNode();
        entry.put("job", name());
        entry.put("titles", titles);
        entry.put("countries", countries);
        entry.put("keyedLifecycles", keyed);
        entry.put("baselineRightsPerSecond", Math.round(baseline));
        entry.put("jobKeyedEventsPerSecond", Math.round(steady));
        entry.put("jobKeyedEventsPerSecondWithStart", Math.round(eventsPerSecond));
        entry.put("jobRightsPerSecond", Math.round(titles / seconds));
        entry.put("checkpointStateBytes", stateBytes);
        entry.put("checkpointUploadedBytes", checkpointedBytes);
        entry.put("checkpointSeconds", checkpointMillis / 1e3);
        entry.put("slowestCheckpointSeconds", slowestMillis / 1e3);
        entry.put("restoreSeconds", Math.round(restoreSeconds * 10) / 10.0);
        entry.put("peakHeapMb", peakHeap >> 20);
        return entry;
    }

    private JobClient start(JobSettings settings, Path checkpoints, int port, String restoreFrom)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // As in k8s/base/jobs/rights-lifecycle.yaml: bloom filters (every first event of a key is
        // a lookup that finds nothing, which without them reads every SST file) and a TaskManager
        // sized like the deployment's, not the MiniCluster's 128 MB default of managed memory.
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(1024));
        // Also as deployed: a right fans out to 249 countries, so under backpressure an aligned
        // barrier waits behind every buffered copy (checkpoints of 50 s were seen while loading).
        // Past one second of alignment the checkpoint goes unaligned and stores those buffers.
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        conf.set(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT, Duration.ofSeconds(1));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = LocalFlink.withWebUi(port, InJvmCounters.enable(conf));
        RightsLifecycleTopology.Settings topology =
                RightsLifecycleTopology.Settings.defaults().withKnownContent(false, Duration.ZERO);
        RightsLifecycleJob.wire(env, settings, topology);
        return env.executeAsync("rights-lifecycle-bench");
    }

    /** Worldwide Pay-1 rights, one per title, with a rolling local-date window in 2028-2031. */
    private static void load(TopicClients clients, int titles) throws Exception {
        var serializer = clients.serializer(Topic.RIGHTS_EVENTS, RightEvent.class);
        Instant issued = Instant.parse("2026-11-20T00:00:00Z");
        try (KafkaProducer<String, byte[]> producer = clients.producer()) {
            for (int i = 0; i < titles; i++) {
                RightEvent right =
                        RightEvent.newBuilder()
                                .setRightId("r-bench-" + i)
                                .setContentId("c-bench-" + i)
                                .setTerritory(List.of("ZZ"))
                                .setWindowStart("2028-03-15")
                                .setWindowEnd("2031-03-14")
                                .setExclusivity("pay-1")
                                .setIssuedAt(issued.plusMillis(i))
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                Topic.RIGHTS_EVENTS.topicName(),
                                null,
                                right.getIssuedAt().toEpochMilli(),
                                right.getRightId(),
                                serializer.serialize(right)));
            }
            producer.flush();
        }
    }

    /** The first checkpoint that completes after {@code afterMillis}. */
    private static JsonNode checkpointAfter(String rest, String jobId, long afterMillis)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode completed =
                    JobProgress.getJson(rest + "/jobs/" + jobId + "/checkpoints")
                            .path("latest")
                            .path("completed");
            if (!completed.isMissingNode()
                    && !completed.isNull()
                    && completed.path("trigger_timestamp").asLong() > afterMillis) {
                return completed;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no checkpoint completed within 5 minutes");
    }

    private static void awaitAllRunning(String rest, String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode job = JobProgress.getJson(rest + "/jobs/" + jobId);
                boolean all = job.path("vertices").size() > 0;
                for (JsonNode vertex : job.path("vertices")) {
                    all &= "RUNNING".equals(vertex.path("status").asText());
                }
                if (all) {
                    return;
                }
            } catch (IOException notYet) {
                // the MiniCluster's REST endpoint is still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the restored job did not reach RUNNING in 5 minutes");
    }
}
