package dev.marquee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.Main;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.demo.MetadataSample;
import dev.marquee.io.AvroJson;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.metadata.MetadataNormalizationJob;
import dev.marquee.jobs.metadata.MetadataTopology;
import dev.marquee.metadata.FeedFile;
import dev.marquee.metadata.MetadataCommand;
import dev.marquee.metadata.Reconciliation;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Provenance;
import dev.marquee.schema.ReviewItem;
import dev.marquee.testing.OwnBroker;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata-normalization job end to end on a real broker, registry and MiniCluster: a MEC file
 * through {@code metadata ingest} and a JSON-lines feed, an override, undecodable and invalid
 * records; the catalog, the review queue and the DLQs read back read_committed; a withdrawal and a
 * review decision fed back; then the nightly reconciliation finds no difference, and does find one
 * once the live catalog is tampered with.
 */
@ExtendWith(Platform.class)
class MetadataNormalizationIT {

    @RegisterExtension static final MiniClusterExtension FLINK = Platform.miniCluster();

    /** A broker of its own: the reconciliation replays whole topics and must see only this test. */
    @RegisterExtension static final OwnBroker BROKER = new OwnBroker();

    @Test
    void feedsInCatalogAndReviewOutThenDecisionsWithdrawalsAndACleanReconciliation(
            @TempDir Path files) throws Exception {
        TopicClients clients = new TopicClients(BROKER.endpoints());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        env.setParallelism(2);
        MetadataNormalizationJob.wire(
                env,
                JobSettings.local(
                        BROKER.endpoints().bootstrapServers(),
                        BROKER.endpoints().registryUrl(),
                        Duration.ofSeconds(1),
                        "it-" + System.nanoTime()),
                MetadataTopology.Settings.defaults());
        JobClient job = env.executeAsync(MetadataTopology.JOB);
        try {
            // The MEC file through the command line: one bad Basic, so exit 1.
            Path mec = files.resolve("northlight-mec.xml");
            Files.write(mec, MetadataSample.resource("northlight-mec.xml"));
            int exit =
                    Main.execute(
                            "metadata",
                            "ingest",
                            mec.toString(),
                            "--ingested-at",
                            MetadataSample.INGESTED_AT.toString(),
                            "--bootstrap-servers",
                            BROKER.endpoints().bootstrapServers(),
                            "--registry-url",
                            BROKER.endpoints().registryUrl());
            assertThat(exit).as("a bad record makes ingest exit non-zero").isEqualTo(1);
            // The JSON lines the way the demo does it, plus the override.
            List<FeedFile.Entry> jsonl =
                    FeedFile.read(
                            "acme-feed.jsonl",
                            MetadataSample.resource("acme-feed.jsonl"),
                            new FeedFile.Context(null, null, MetadataSample.INGESTED_AT));
            assertThat(MetadataCommand.publish(clients, jsonl))
                    .isEqualTo(new MetadataCommand.Counts(4, 1));
            try (RecordPublisher publisher = new RecordPublisher(clients)) {
                publisher.publishJsonLines(
                        Topic.METADATA_OVERRIDES.topicName(),
                        MetadataSample.overrides(),
                        "overrides");
                publisher.publishRaw(
                        Topic.METADATA_FEED_RAW.topicName(),
                        "garbled:1",
                        "not avro".getBytes(StandardCharsets.UTF_8),
                        MetadataSample.INGESTED_AT);
                publisher.publishJsonLines(
                        Topic.METADATA_OVERRIDES.topicName(),
                        List.of(
                                "{\"overrideId\":\"ed-bad\",\"contentId\":\"imdb:tt9000003\","
                                        + "\"action\":\"SET_FIELD\",\"editor\":\"x\","
                                        + "\"issuedAt\":\"2026-11-20T09:06:00Z\"}"),
                        "bad override");
            }

            List<String> mismatches = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                mismatches =
                        MetadataSample.mismatches(
                                Reconciliation.catalog(
                                        read(
                                                clients,
                                                Topic.CATALOG_TITLES.topicName(),
                                                CanonicalTitle.class)),
                                reviews(clients),
                                ingestLetters(clients));
                if (mismatches.isEmpty()) {
                    break;
                }
                Thread.sleep(500);
            }
            if (!mismatches.isEmpty()) {
                System.err.println(
                        "catalog versions: "
                                + read(
                                        clients,
                                        Topic.CATALOG_TITLES.topicName(),
                                        CanonicalTitle.class));
                System.err.println(
                        "override DLQ: "
                                + read(
                                        clients,
                                        Topic.METADATA_OVERRIDES.dlqName(),
                                        DeadLetter.class));
                System.err.println(
                        "feed DLQ: "
                                + read(
                                        clients,
                                        Topic.METADATA_FEED_RAW.dlqName(),
                                        DeadLetter.class));
            }
            assertThat(mismatches).as("the sample's catalog, review queue and DLQ").isEmpty();
            List<DeadLetter> feedLetters =
                    clients.readAll(Topic.METADATA_FEED_RAW.dlqName(), DeadLetter.class);
            assertThat(feedLetters)
                    .filteredOn(d -> d.getCategory() == DeadLetterCategory.UNDECODABLE)
                    .singleElement()
                    .satisfies(d -> assertThat(d.getKey()).isEqualTo("garbled:1"));
            assertThat(feedLetters)
                    .filteredOn(d -> "acme:A-107".equals(d.getKey()))
                    .singleElement()
                    .satisfies(d -> assertThat(d.getReason()).contains("xx-XX"));
            List<DeadLetter> overrideLetters =
                    awaitRecords(
                            clients,
                            Topic.METADATA_OVERRIDES.dlqName(),
                            DeadLetter.class,
                            l -> !l.isEmpty());
            assertThat(overrideLetters)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getCategory()).isEqualTo(DeadLetterCategory.INVALID);
                                assertThat(d.getReason()).contains("SET_FIELD needs the field");
                            });
            CanonicalTitle lighthouse =
                    Reconciliation.catalog(
                                    clients.readAll(
                                            Topic.CATALOG_TITLES.topicName(), CanonicalTitle.class))
                            .get(MetadataSample.LIGHTHOUSE);
            long lighthouseVersion = lighthouse.getVersion();

            // The vendor withdraws its duplicate; an editor keeps the near-duplicates apart.
            FeedRecord withdrawal =
                    FeedRecord.newBuilder()
                            .setVendor("acme")
                            .setVendorRecordId("A-101")
                            .setWithdrawn(true)
                            .setProvenance(
                                    Provenance.newBuilder()
                                            .setSourceFeed("acme")
                                            .setIngestedAt(Instant.parse("2026-11-20T10:00:00Z"))
                                            .build())
                            .build();
            try (RecordPublisher publisher = new RecordPublisher(clients)) {
                publisher.publishJsonLines(
                        Topic.METADATA_FEED_RAW.topicName(),
                        List.of(AvroJson.toJsonString(withdrawal)),
                        "withdrawal");
                publisher.publishJsonLines(
                        Topic.METADATA_OVERRIDES.topicName(),
                        List.of(
                                "{\"overrideId\":\"rv-1\",\"contentId\":\"vendor:acme:A-104\","
                                        + "\"action\":\"KEEP_APART\",\"otherContentId\":\"vendor:northlight:NL-004\","
                                        + "\"editor\":\"editor@marquee\",\"issuedAt\":\"2026-11-20T10:01:00Z\"}"),
                        "decision");
            }
            List<CanonicalTitle> all =
                    awaitCatalog(
                            clients,
                            versions -> {
                                CanonicalTitle t =
                                        Reconciliation.catalog(versions)
                                                .get(MetadataSample.LIGHTHOUSE);
                                return t != null && t.getSources().size() == 1;
                            });
            CanonicalTitle after = Reconciliation.catalog(all).get(MetadataSample.LIGHTHOUSE);
            assertThat(after.getVersion()).isEqualTo(lighthouseVersion + 1);
            assertThat(after.getAliases()).noneMatch(a -> a.getValue().equals("A-101"));
            awaitRecords(
                    clients,
                    Topic.METADATA_REVIEW.topicName(),
                    ReviewItem.class,
                    items -> MetadataSample.openReviews(items).isEmpty());
            assertThat(
                            clients
                                    .readAll(Topic.METADATA_REVIEW.topicName(), ReviewItem.class)
                                    .stream()
                                    .map(r -> r.getReviewId() + " " + r.getStatus()))
                    .containsExactly(
                            MetadataSample.REVIEW_ID + " OPEN",
                            MetadataSample.REVIEW_ID + " RESOLVED");
        } finally {
            job.cancel().get();
        }

        // Nightly reconciliation: the replay agrees with the live catalog...
        Reconciliation.Report healthy = Reconciliation.run(BROKER.endpoints());
        assertThat(healthy.differences()).isEmpty();
        assertThat(healthy.replayedTitles()).isEqualTo(MetadataSample.EXPECTED_TITLES.size());
        assertThat(
                        Main.execute(
                                "metadata", "reconcile",
                                "--bootstrap-servers", BROKER.endpoints().bootstrapServers(),
                                "--registry-url", BROKER.endpoints().registryUrl()))
                .isZero();

        // ...and names the title and field when someone writes to the catalog behind its back.
        CanonicalTitle moons =
                Reconciliation.catalog(
                                clients.readAll(
                                        Topic.CATALOG_TITLES.topicName(), CanonicalTitle.class))
                        .get(MetadataSample.PAPER_MOONS);
        CanonicalTitle tampered =
                CanonicalTitle.newBuilder(moons)
                        .setVersion(moons.getVersion() + 1)
                        .setReleaseYear(1999)
                        .build();
        try (RecordPublisher publisher = new RecordPublisher(clients)) {
            publisher.publishJsonLines(
                    Topic.CATALOG_TITLES.topicName(),
                    List.of(AvroJson.toJsonString(tampered)),
                    "tamper");
        }
        Reconciliation.Report broken = Reconciliation.run(BROKER.endpoints());
        assertThat(broken.differences())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.contentId()).isEqualTo(MetadataSample.PAPER_MOONS);
                            assertThat(d.fields()).containsExactly("releaseYear");
                        });
    }

    private static Map<String, ReviewItem> reviews(TopicClients clients) {
        return MetadataSample.openReviews(
                read(clients, Topic.METADATA_REVIEW.topicName(), ReviewItem.class));
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
            TopicClients clients, String topic, Class<T> type) {
        try {
            return clients.readAll(topic, type);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Dead letters the ingest wrote (the job's own, e.g. undecodable bytes, are checked apart). */
    private static List<DeadLetter> ingestLetters(TopicClients clients) {
        return read(clients, Topic.METADATA_FEED_RAW.dlqName(), DeadLetter.class).stream()
                .filter(d -> d.getJob().equals("metadata ingest"))
                .toList();
    }

    private static List<CanonicalTitle> awaitCatalog(
            TopicClients clients, Predicate<List<CanonicalTitle>> done) throws Exception {
        return awaitRecords(clients, Topic.CATALOG_TITLES.topicName(), CanonicalTitle.class, done);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> awaitRecords(
            TopicClients clients, String topic, Class<T> type, Predicate<List<T>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<T> records = List.of();
        while (System.nanoTime() < deadline) {
            records = clients.readAll(topic, type);
            if (done.test(records)) {
                return records;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting on " + topic + "; have " + records);
    }
}
