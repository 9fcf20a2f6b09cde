package dev.marquee.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.cli.Endpoints;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.rightsintake.RightsIntakeJob;
import dev.marquee.jobs.rightsintake.RightsIntakeTopology;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import dev.marquee.schema.TerritoryRightsCount;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The rights-intake job end to end (decode, validate, count per territory, exactly-once sinks) on a
 * MiniCluster, beside the raw read-and-decode baseline of the same rights.events records.
 */
public final class RightsIntakeBench implements BenchEntry {
    @Override
    public String name() {
        return RightsIntakeTopology.JOB;
    }

    @Override
    public ObjectNode run(BenchContext context) throws Exception {
        int records = context.scaled(200_000);
        context.log().printf("loading %,d rights events into rights.events...%n", records);
        long territoryEvents = load(context.clients(), records);

        context.log().println("baseline: raw Kafka read + Avro decode (one consumer)...");
        double baseline = context.baseline(Topic.RIGHTS_EVENTS, RightEvent.class, records);
        context.log().printf("  %,.0f records/s%n", baseline);

        context.log()
                .println(
                        "rights-intake job on a MiniCluster (parallelism 2, exactly-once sinks)...");
        double job = rightsIntake(context.endpoints(), context.clients(), records, territoryEvents);
        context.log().printf("  %,.0f records/s (%.2fx baseline)%n", job, job / baseline);

        ObjectNode entry = context.json().createObjectNode();
        entry.put("job", name());
        entry.put("records", records);
        entry.put("baselineRecordsPerSecond", Math.round(baseline));
        entry.put("jobRecordsPerSecond", Math.round(job));
        entry.put("ratio", Math.round(job / baseline * 100) / 100.0);
        return entry;
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

    private static double rightsIntake(
            Endpoints endpoints, TopicClients clients, int count, long territoryEvents)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
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
                        clients
                                .readAll(
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
