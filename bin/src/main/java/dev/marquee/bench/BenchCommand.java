package dev.marquee.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.cli.TopicClients;
import dev.marquee.demo.DemoCommand;
import dev.marquee.demo.DemoTopics;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.rightsintake.RightsIntakeJob;
import dev.marquee.jobs.rightsintake.RightsIntakeTopology;
import dev.marquee.local.EmbeddedKafka;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import dev.marquee.schema.TerritoryRightsCount;
import dev.marquee.stack.RegistryServer;
import dev.marquee.topics.Topic;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench [--json]}: each job's throughput beside a raw Kafka read-and-decode baseline, on the
 * same embedded broker and registry in the same run, so the ratio means something on any machine.
 * Speed goals live here, never in timed tests.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Throughput of each job beside a raw Kafka-read baseline on this machine.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON document on stdout instead of a table")
    boolean json;

    @Option(
            names = "--records",
            description = "Rights events to replay (default: ${DEFAULT-VALUE})")
    int records = 200_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        PrintStream log = json ? System.err : System.out;
        MarqueeHome home = MarqueeHome.detect();
        Path dir = home.dataDir().resolve("bench");
        DemoCommand.deleteRecursively(dir);
        Files.createDirectories(dir);
        ArrayNode results = JSON.createArrayNode();
        log.println("rights eval: offline evaluator, one thread...");
        double qps = rightsEval(10_000, 2_000_000);
        log.printf(
                "  %,.0f queries/s over 10,000 rights (goal: over 1,000,000 a second on one core)%n",
                qps);
        ObjectNode eval = results.addObject();
        eval.put("job", "rights-eval");
        eval.put("rights", 10_000);
        eval.put("queriesPerSecond", Math.round(qps));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
                RegistryServer registry = RegistryServer.start(home, dir.resolve("registry"), 0)) {
            Endpoints endpoints = new Endpoints(kafka.bootstrapServers(), registry.url(), null);
            new Provisioner(endpoints, log).provision();
            TopicClients clients = new TopicClients(endpoints);
            log.printf("loading %,d rights events into rights.events...%n", records);
            long territoryEvents = load(clients, records);

            log.println("baseline: raw Kafka read + Avro decode (one consumer)...");
            double baseline = baseline(clients, records);
            log.printf("  %,.0f records/s%n", baseline);

            log.println(
                    "rights-intake job on a MiniCluster (parallelism 2, exactly-once sinks)...");
            double job = rightsIntake(endpoints, clients, records, territoryEvents);
            log.printf("  %,.0f records/s (%.2fx baseline)%n", job, job / baseline);

            ObjectNode entry = results.addObject();
            entry.put("job", RightsIntakeTopology.JOB);
            entry.put("records", records);
            entry.put("baselineRecordsPerSecond", Math.round(baseline));
            entry.put("jobRecordsPerSecond", Math.round(job));
            entry.put("ratio", Math.round(job / baseline * 100) / 100.0);
        }
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        }
        return 0;
    }

    /**
     * Queries per second of the offline evaluator (the rights lifecycle job's semantic core) over
     * synthetic Pay-1 rights: after a warm-up, a fixed set of random (title, country, instant)
     * queries, timed on this thread.
     */
    static double rightsEval(int rightsCount, int queries) {
        dev.marquee.rights.RightsEvaluator evaluator = new dev.marquee.rights.RightsEvaluator();
        List<String> countries =
                List.of("US", "GB", "JP", "FR", "DE", "BR", "IN", "KR", "MX", "AU");
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < rightsCount; i++) {
            evaluator.accept(
                    RightEvent.newBuilder()
                            .setRightId("r-" + i)
                            .setContentId("c-" + (i % (rightsCount / 2)))
                            .setTerritory(
                                    i % 5 == 0
                                            ? List.of("EU")
                                            : countries.subList(
                                                    0, 1 + random.nextInt(countries.size())))
                            .setWindowStart(i % 2 == 0 ? "2028-03-15" : "2028-03-15T00:00:00Z")
                            .setWindowEnd(i % 3 == 0 ? null : "2031-03-14")
                            .setIssuedAt(Instant.parse("2026-11-20T00:00:00Z"))
                            .build());
        }
        int n = 1 << 16;
        String[] content = new String[n];
        String[] country = new String[n];
        Instant[] at = new Instant[n];
        long from = Instant.parse("2027-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < n; i++) {
            content[i] = "c-" + random.nextInt(rightsCount / 2);
            country[i] = countries.get(random.nextInt(countries.size()));
            at[i] =
                    Instant.ofEpochMilli(
                            from + (long) (random.nextDouble() * 6 * 365 * 86_400_000L));
        }
        long available = 0;
        for (int i = 0; i < 500_000; i++) { // warm-up: JIT and the per-country instant caches
            available +=
                    evaluator
                                    .evaluate(
                                            content[i & (n - 1)],
                                            country[i & (n - 1)],
                                            at[i & (n - 1)])
                                    .available()
                            ? 1
                            : 0;
        }
        long start = System.nanoTime();
        for (int i = 0; i < queries; i++) {
            int k = i & (n - 1);
            available += evaluator.evaluate(content[k], country[k], at[k]).available() ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (available < 0) {
            throw new IllegalStateException(); // keeps the loop's result alive
        }
        return queries / seconds;
    }

    /**
     * Loads synthetic rights spread over a day; returns how many territory events fall in the
     * windows that must close (all but the day's last hour, whose closing depends on which
     * partition goes idle first).
     */
    private static long load(TopicClients clients, int count) throws Exception {
        var serializer =
                RegistryAvroSerializationSchema.forSpecific(
                        RightEvent.class,
                        new ConfluentSchemaCoder.Provider(
                                Topic.RIGHTS_EVENTS.subject(), clients.registryConfig()));
        Instant start = Instant.parse("2026-11-20T00:00:00Z");
        List<String> territories = List.of("US", "GB", "JP", "FR", "DE", "BR", "IN", "KR");
        long territoryEvents = 0;
        try (KafkaProducer<String, byte[]> producer = clients.producer()) {
            for (int i = 0; i < count; i++) {
                Instant at = start.plusMillis((long) i * 86_400_000L / count);
                List<String> where = territories.subList(0, 1 + i % 3);
                if (at.isBefore(start.plus(Duration.ofHours(23)))) {
                    territoryEvents +=
                            where.size(); // the day's last hour may stay open: not awaited
                }
                RightEvent right =
                        RightEvent.newBuilder()
                                .setRightId("r-bench-" + i)
                                .setContentId("c-" + (i % 10_000))
                                .setStatus(i % 17 == 0 ? RightStatus.REVOKED : RightStatus.ACTIVE)
                                .setTerritory(where)
                                .setWindowStart("2028-03-15")
                                .setWindowEnd("2031-03-15T00:00:00Z")
                                .setIssuedAt(at)
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                Topic.RIGHTS_EVENTS.topicName(),
                                null,
                                at.toEpochMilli(),
                                right.getRightId(),
                                serializer.serialize(right)));
            }
            // The next day's first right closes the last window of the loaded day.
            RightEvent closer =
                    RightEvent.newBuilder()
                            .setRightId("r-bench-closer")
                            .setContentId("c-0")
                            .setTerritory(List.of("ZZ"))
                            .setWindowStart("2028-03-15")
                            .setIssuedAt(start.plus(Duration.ofDays(1)).plus(Duration.ofHours(1)))
                            .build();
            Thread.sleep(3000);
            producer.send(
                    new ProducerRecord<>(
                            Topic.RIGHTS_EVENTS.topicName(),
                            null,
                            closer.getIssuedAt().toEpochMilli(),
                            closer.getRightId(),
                            serializer.serialize(closer)));
            producer.flush();
        }
        return territoryEvents;
    }

    private static double baseline(TopicClients clients, int count) throws Exception {
        var deserializer =
                new RegistryAvroDeserializationSchema<>(
                        RightEvent.class,
                        null,
                        new ConfluentSchemaCoder.Provider(
                                Topic.RIGHTS_EVENTS.subject(), clients.registryConfig()));
        long start = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(null)) {
            var partitions =
                    consumer
                            .partitionsFor(Topic.RIGHTS_EVENTS.topicName(), Duration.ofSeconds(8))
                            .stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (read < count) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (deserializer.deserialize(record.value()) != null) {
                        read++;
                    }
                }
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double rightsIntake(
            Endpoints endpoints, TopicClients clients, int count, long territoryEvents)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(2);
        JobSettings settings =
                JobSettings.local(
                        endpoints.bootstrapServers(),
                        endpoints.registryUrl(),
                        Duration.ofSeconds(1),
                        "bench");
        RightsIntakeJob.wire(
                env,
                settings,
                new RightsIntakeTopology.Settings(
                        Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(1)));
        long start = System.nanoTime();
        JobClient job = env.executeAsync("rights-intake-bench");
        try {
            while (true) {
                long counted =
                        DemoTopics.readAll(
                                        clients,
                                        Topic.RIGHTS_INTAKE_COUNTS.topicName(),
                                        TerritoryRightsCount.class)
                                .stream()
                                .mapToLong(TerritoryRightsCount::getTotal)
                                .sum();
                if (counted >= territoryEvents) {
                    break;
                }
                Thread.sleep(250);
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            job.cancel().get();
        }
    }
}
