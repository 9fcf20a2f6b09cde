package dev.marquee.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.schema.Availability;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The generated catalog through the real Flink SQL client: records written by the project's own
 * Avro serializer (Confluent wire format, schema from the registry) are read back by SQL on a real
 * broker, registry and Flink cluster, from an append-only table and from a compacted (upsert)
 * table, and the example queries in jobs/sql/queries run.
 *
 * <p>Kafka and the registry come from the shared {@link Platform} extension; Flink is a {@link
 * ChildMiniCluster} (see there why it cannot be in this JVM). Other ITs share the broker, so every
 * record here carries a per-run prefix and assertions only look at those rows.
 */
@ExtendWith(Platform.class)
class SqlCatalogIT {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    private static MarqueeHome home;
    private static ChildMiniCluster flink;
    private static Endpoints endpoints;
    private static final String RUN = "sqlit" + Long.toString(System.nanoTime(), 36);

    @BeforeAll
    static void start() throws Exception {
        home = MarqueeHome.detect();
        long t = System.nanoTime();
        flink = ChildMiniCluster.start(home, home.root().resolve("bin/target/sql-it-flink.log"));
        System.out.printf(
                "MiniCluster child up at %s in %.1f s%n",
                flink.restUrl(), (System.nanoTime() - t) / 1e9);
        Endpoints platform = Platform.endpoints();
        endpoints =
                new Endpoints(platform.bootstrapServers(), platform.registryUrl(), flink.restUrl());
        // Idempotent: Platform provisioned already; this is what the stack does too.
        new Provisioner(endpoints, System.out).provision();
    }

    @AfterAll
    static void stop() {
        if (flink != null) {
            flink.close();
        }
    }

    private static RightEvent right(String id, long revision, List<String> territory, int minute) {
        return RightEvent.newBuilder()
                .setRightId(id)
                .setContentId(RUN + "-title")
                .setRevision(revision)
                .setStatus(revision > 2 ? RightStatus.REVOKED : RightStatus.ACTIVE)
                .setTerritory(territory)
                .setWindowStart("2028-03-15T00:00:00Z")
                .setWindowEnd("2031-03-15")
                .setExclusivity("pay-1")
                .setIssuedAt(Instant.parse("2027-06-01T00:00:00Z").plusSeconds(60L * minute))
                .build();
    }

    /** Writes records as the jobs do: flink-avro's registry serializer with our coder. */
    private static <T extends SpecificRecord> void produce(
            Topic topic, Class<T> type, Map<String, T> byKey) throws Exception {
        RegistryAvroSerializationSchema<T> serializer =
                RegistryAvroSerializationSchema.forSpecific(
                        type,
                        new ConfluentSchemaCoder.Provider(
                                topic.subject(), RegistryConfig.of(endpoints.registryUrl())));
        serializer.open(null);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, T> e : byKey.entrySet()) {
                String key = e.getKey().replaceFirst("#\\d+$", "");
                byte[] value = e.getValue() == null ? null : serializer.serialize(e.getValue());
                producer.send(new ProducerRecord<>(topic.topicName(), key, value)).get();
            }
        }
    }

    private static SqlClientLauncher.Result run(String sql) {
        long t = System.nanoTime();
        SqlClientLauncher.Result result =
                SqlClientLauncher.runScript(home, endpoints, sql, SCRIPT_TIMEOUT);
        System.out.printf(
                "SQL client run: exit %d in %.1f s%n",
                result.exitCode(), (System.nanoTime() - t) / 1e9);
        System.out.println(result.output());
        return result;
    }

    /** The cells of the tableau rows whose text contains {@code marker}. */
    private static List<List<String>> rows(String output, String marker) {
        return output.lines()
                .filter(l -> l.startsWith("|") && l.contains(marker))
                .map(
                        l ->
                                Arrays.stream(l.substring(1, l.length() - 1).split("\\|", -1))
                                        .map(String::strip)
                                        .toList())
                .toList();
    }

    @Test
    void boundedSelectOnRightsEventsShowsWhatTheProjectsSerializerWrote() throws Exception {
        Map<String, RightEvent> rights = new LinkedHashMap<>();
        rights.put(RUN + "-r1", right(RUN + "-r1", 1, List.of("US", "GB"), 1));
        rights.put(RUN + "-r2", right(RUN + "-r2", 1, List.of("JP"), 2));
        rights.put(RUN + "-r3", right(RUN + "-r3", 1, List.of("FR", "DE", "419"), 3));
        produce(Topic.RIGHTS_EVENTS, RightEvent.class, rights);

        SqlClientLauncher.Result result =
                run(
                        "SELECT kafka_key, rightId, revision, status, territory, windowEnd, issuedAt\n"
                                + "FROM rights_events /*+ OPTIONS('scan.bounded.mode'='latest-offset') */\n"
                                + "WHERE rightId LIKE '"
                                + RUN
                                + "-%';\n");

        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).as(result.output()).isZero();
        List<List<String>> rows = rows(result.output(), RUN + "-r");
        // op | kafka_key | rightId | revision | status | territory | windowEnd | issuedAt
        assertThat(rows)
                .extracting(r -> r.get(2) + " " + r.get(5))
                .containsExactlyInAnyOrder(
                        RUN + "-r1 [US, GB]", RUN + "-r2 [JP]", RUN + "-r3 [FR, DE, 419]");
        assertThat(rows).allSatisfy(r -> assertThat(r.get(0)).isEqualTo("+I"));
        assertThat(rows)
                .allSatisfy(
                        r -> {
                            assertThat(r.get(1)).as("kafka_key is the rightId").isEqualTo(r.get(2));
                            assertThat(r.get(4)).isEqualTo("ACTIVE");
                            assertThat(r.get(6)).isEqualTo("2031-03-15");
                        });
        assertThat(
                        rows.stream()
                                .filter(r -> r.get(2).equals(RUN + "-r1"))
                                .findFirst()
                                .orElseThrow()
                                .get(7))
                .as("timestamp-millis read as UTC wall-clock TIMESTAMP(3)")
                .isEqualTo("2027-06-01 00:01:00.000");
    }

    @Test
    void compactedTableReadsAsTheLatestValuePerKeyWithTombstonesDeleting() throws Exception {
        String title = RUN + "-c1";
        Map<String, Availability> records = new LinkedHashMap<>();
        records.put(title + "|US#1", availability(title, "US", false, 0));
        records.put(title + "|US#2", availability(title, "US", true, 10));
        records.put(title + "|GB#1", availability(title, "GB", true, 5));
        records.put(title + "|JP#1", availability(title, "JP", true, 5));
        records.put(title + "|JP#2", null); // tombstone: JP no longer tracked
        produce(Topic.CATALOG_AVAILABILITY, Availability.class, records);

        SqlClientLauncher.Result result =
                run(
                        // kafka_key is filtered on, not shown: it contains '|', the table's
                        // column separator.
                        "SELECT territory, available, rightId\n"
                                + "FROM catalog_availability /*+ OPTIONS('scan.bounded.mode'='latest-offset') */\n"
                                + "WHERE kafka_key LIKE '"
                                + title
                                + "|%';\n");

        assertThat(result.exitCode()).as(result.output()).isZero();
        // Replay the changelog the upsert table printed (+I, -U, +U, -D) into the final state:
        // op | territory | available | rightId
        Map<String, String> state = new LinkedHashMap<>();
        for (List<String> row : rows(result.output(), RUN + "-r1")) {
            switch (row.get(0)) {
                case "+I", "+U" -> state.put(row.get(1), row.get(2));
                case "-U", "-D" -> state.remove(row.get(1));
                default -> throw new AssertionError("unexpected row kind " + row);
            }
        }
        assertThat(state).containsExactlyInAnyOrderEntriesOf(Map.of("US", "TRUE", "GB", "TRUE"));
        assertThat(result.output()).contains("-U").contains("-D");
    }

    private static Availability availability(
            String title, String territory, boolean available, int minute) {
        return Availability.newBuilder()
                .setContentId(title)
                .setTerritory(territory)
                .setAvailable(available)
                .setEffectiveFrom(Instant.parse("2028-03-15T00:00:00Z").plusSeconds(60L * minute))
                .setRightId(RUN + "-r1")
                .build();
    }

    @Test
    void exampleQueryLatestRevisionPerRightRunsInBatchMode() throws Exception {
        Map<String, RightEvent> revisions = new LinkedHashMap<>();
        revisions.put(RUN + "-v1#1", right(RUN + "-v1", 1, List.of("US"), 10));
        revisions.put(RUN + "-v1#2", right(RUN + "-v1", 2, List.of("US", "CA"), 11));
        revisions.put(RUN + "-v1#3", right(RUN + "-v1", 2, List.of("US", "CA"), 12));
        revisions.put(RUN + "-v2#1", right(RUN + "-v2", 1, List.of("GB"), 13));
        revisions.put(RUN + "-v2#2", right(RUN + "-v2", 3, List.of("GB"), 14));
        produce(Topic.RIGHTS_EVENTS, RightEvent.class, revisions);

        String query =
                Files.readString(
                        home.sqlDir().resolve("queries/rights-events-latest.sql"),
                        StandardCharsets.UTF_8);
        SqlClientLauncher.Result result = run(query);

        assertThat(result.exitCode()).as(result.output()).isZero();
        // rightId | contentId | revision | status | territory | ...
        List<List<String>> rows = rows(result.output(), RUN + "-v");
        assertThat(rows)
                .extracting(r -> r.get(0) + " rev " + r.get(2) + " " + r.get(3) + " " + r.get(4))
                .containsExactlyInAnyOrder(
                        RUN + "-v1 rev 2 ACTIVE [US, CA]", RUN + "-v2 rev 3 REVOKED [GB]");
    }

    @Test
    void aFailingStatementIsANonZeroExitWithTheClientsReason() {
        SqlClientLauncher.Result result =
                run("SELECT no_such_column FROM rights_events;\nSHOW TABLES;\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output())
                .contains("[ERROR] Could not execute SQL statement")
                .contains("Column 'no_such_column' not found")
                .as("the script stops at its first error")
                .doesNotContain("rights_events_dlq |");
    }
}
