package dev.marquee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.demo.DemoSlate;
import dev.marquee.demo.DemoTopics;
import dev.marquee.demo.RightsIntakeStage;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.rightsintake.RightsIntakeJob;
import dev.marquee.jobs.rightsintake.RightsIntakeTopology;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.TerritoryRightsCount;
import dev.marquee.sql.SqlClientLauncher;
import dev.marquee.testing.OwnBroker;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rights-intake job end to end on a real broker, registry and MiniCluster: Avro in through the
 * registry, counts and dead letters out through exactly-once transactional sinks, read back with
 * read_committed; then stop-with-savepoint and restore, and no window is emitted twice.
 */
@ExtendWith(Platform.class)
class RightsIntakeIT {

    @RegisterExtension static final MiniClusterExtension FLINK = Platform.miniCluster();

    @TempDir Path savepoints;

    /**
     * A broker of its own: the test reasons about event time on rights.events, and records other
     * ITs leave on the shared broker's rights.events (stamped with today's date) would move the
     * watermark. The registry is the shared one.
     */
    @RegisterExtension static final OwnBroker BROKER = new OwnBroker();

    @Test
    void countsValidRightsDeadLettersTheRestAndEmitsEachWindowOnceAcrossARestore()
            throws Exception {
        TopicClients clients = new TopicClients(BROKER.endpoints());
        DemoSlate slate = DemoSlate.load();
        JobSettings settings =
                JobSettings.local(
                        BROKER.endpoints().bootstrapServers(),
                        BROKER.endpoints().registryUrl(),
                        Duration.ofSeconds(1),
                        "it-" + System.nanoTime());

        JobClient first;
        try (RecordPublisher publisher = new RecordPublisher(clients)) {
            // As in the demo: the slate is waiting when the job starts, the later feed comes once
            // the job has read it (see DemoStage#publish and RightsIntakeStage#publishLaterFeed).
            RightsIntakeStage.publishSlate(publisher, slate);
            first = start(settings, null);
            assertThat(
                            RightsIntakeStage.publishLaterFeed(
                                    publisher,
                                    clients,
                                    slate,
                                    RightsIntakeJob.groupId(settings),
                                    DemoSlate.intakeSettings()))
                    .as("the job committed the slate's offsets")
                    .isTrue();
        }

        long expectedTotal =
                slate.expectedTotals().values().stream().mapToLong(Long::longValue).sum();
        List<TerritoryRightsCount> counts =
                awaitRecords(
                        clients,
                        Topic.RIGHTS_INTAKE_COUNTS.topicName(),
                        TerritoryRightsCount.class,
                        all ->
                                all.stream().mapToLong(TerritoryRightsCount::getTotal).sum()
                                        >= expectedTotal);
        assertThat(totals(counts)).isEqualTo(slate.expectedTotals());
        assertThat(counts.stream().mapToLong(TerritoryRightsCount::getRevoked).sum())
                .isEqualTo(slate.expectedRevoked());

        List<DeadLetter> letters =
                awaitRecords(
                        clients,
                        Topic.RIGHTS_EVENTS.dlqName(),
                        DeadLetter.class,
                        all -> all.size() >= 4);
        assertThat(
                        letters.stream()
                                .filter(d -> d.getCategory() == DeadLetterCategory.INVALID)
                                .map(DeadLetter::getKey))
                .containsExactlyInAnyOrderElementsOf(slate.invalidRightIds());
        assertThat(letters)
                .filteredOn(d -> d.getCategory() == DeadLetterCategory.UNDECODABLE)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getKey()).isEqualTo("r-garbled");
                            assertThat(d.getPayload().array())
                                    .isEqualTo(
                                            RightsIntakeStage.NOT_AVRO.getBytes(
                                                    StandardCharsets.UTF_8));
                            assertThat(d.getReason()).contains("Confluent");
                        });
        assertThat(letters).noneMatch(d -> d.getCategory() == DeadLetterCategory.LATE);

        // The SQL catalog reads what the job wrote (avro-confluent tables, read_committed).
        SqlClientLauncher.Result sql =
                SqlClientLauncher.runScript(
                        MarqueeHome.detect(),
                        BROKER.endpoints().override(null, null, SqlClientLauncher.LOCAL),
                        "SET 'execution.runtime-mode' = 'batch';\n"
                                + "SELECT territory, SUM(total) AS events FROM rights_intake_counts"
                                + " /*+ OPTIONS('scan.bounded.mode'='latest-offset') */"
                                + " WHERE territory = 'JP' GROUP BY territory;\n",
                        Duration.ofMinutes(3));
        assertThat(sql.exitCode()).as(sql.output()).isZero();
        assertThat(sql.output())
                .containsPattern(
                        "\\|\\s+JP\\s+\\|\\s+" + slate.expectedTotals().get("JP") + "\\s+\\|");

        // Stop with a savepoint, write the next day's rights while it is down, restore.
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
        assertThat(Files.list(savepoints)).isNotEmpty();
        try (RecordPublisher publisher = new RecordPublisher(clients)) {
            publisher.publishJsonLines(
                    Topic.RIGHTS_EVENTS.topicName(), DemoTopics.nextDay(), "next day");
        }
        JobClient second = start(settings, savepoint);
        try {
            List<TerritoryRightsCount> after =
                    awaitRecords(
                            clients,
                            Topic.RIGHTS_INTAKE_COUNTS.topicName(),
                            TerritoryRightsCount.class,
                            all ->
                                    all.stream()
                                            .anyMatch(
                                                    c ->
                                                            c.getWindowStart()
                                                                    .toString()
                                                                    .startsWith("2026-11-20T13")));
            Map<String, Long> perWindow =
                    after.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            c -> c.getTerritory() + "|" + c.getWindowStart(),
                                            Collectors.counting()));
            assertThat(perWindow)
                    .as("each territory-window emitted exactly once")
                    .allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
            assertThat(
                            totals(
                                    after.stream()
                                            .filter(
                                                    c ->
                                                            c.getWindowStart()
                                                                    .isBefore(
                                                                            slate.lastSlateInstant()
                                                                                    .plusSeconds(
                                                                                            3600)))
                                            .toList()))
                    .as("restore did not recount the slate")
                    .isEqualTo(slate.expectedTotals());
            List<DeadLetter> lettersAfter =
                    readAll(clients, Topic.RIGHTS_EVENTS.dlqName(), DeadLetter.class);
            assertThat(lettersAfter).hasSameSizeAs(letters);
        } finally {
            second.cancel().get();
        }
    }

    private static JobClient start(JobSettings settings, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.bind(conf));
        env.setParallelism(2);
        RightsIntakeJob.wire(env, settings, DemoSlate.intakeSettings());
        return env.executeAsync(RightsIntakeTopology.JOB);
    }

    private static Map<String, Long> totals(List<TerritoryRightsCount> counts) {
        Map<String, Long> totals = new TreeMap<>();
        counts.forEach(c -> totals.merge(c.getTerritory(), c.getTotal(), Long::sum));
        return totals;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> awaitRecords(
            TopicClients clients, String topic, Class<T> type, Predicate<List<T>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<T> records = List.of();
        while (System.nanoTime() < deadline) {
            records = readAll(clients, topic, type);
            if (done.test(records)) {
                return records;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting on " + topic + "; have " + records);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(
            TopicClients clients, String topic, Class<T> type) throws Exception {
        return DemoTopics.readAll(clients, topic, type);
    }
}
