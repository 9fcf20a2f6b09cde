package dev.marquee.demo;

import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.metadata.MetadataNormalizationJob;
import dev.marquee.jobs.metadata.MetadataTopology;
import dev.marquee.metadata.FeedFile;
import dev.marquee.metadata.MetadataCommand;
import dev.marquee.metadata.Reconciliation;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.ReviewItem;
import dev.marquee.topics.Topic;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The metadata-normalization job's part in the demo: ingests the sample studio feed ({@link
 * MetadataSample}) as {@code metadata ingest} would, publishes the editorial override, and waits
 * until catalog.titles, metadata.review and metadata.feed.raw.dlq say exactly what the sample
 * implies.
 */
public final class MetadataDemoStage implements DemoStage {
    private List<FeedFile.Entry> feed;

    @Override
    public String name() {
        return "metadata normalization";
    }

    @Override
    public String describe() {
        return MetadataSample.describe();
    }

    @Override
    public void wire(StreamExecutionEnvironment env, JobSettings settings) {
        MetadataNormalizationJob.wire(env, settings, MetadataTopology.Settings.defaults());
    }

    @Override
    public void publish(RecordPublisher publisher, TopicClients clients, PrintStream out)
            throws Exception {
        feed = MetadataSample.feed();
        MetadataCommand.Counts counts = MetadataCommand.publish(clients, feed);
        publisher.publishJsonLines(
                Topic.METADATA_OVERRIDES.topicName(), MetadataSample.overrides(), "overrides");
        out.printf(
                "  metadata: %d feed record(s) to metadata.feed.raw, %d refused to its DLQ, 1 override%n",
                counts.good(), counts.bad());
    }

    @Override
    public List<String> await(TopicClients clients, Instant deadline, PrintStream out)
            throws Exception {
        List<String> mismatches = List.of("nothing read yet");
        Map<String, CanonicalTitle> catalog = Map.of();
        Map<String, ReviewItem> reviews = Map.of();
        // Stages await in turn on one deadline; this one still gets a moment of its own.
        Instant until =
                deadline.isAfter(Instant.now().plusSeconds(30))
                        ? deadline
                        : Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(until)) {
            catalog =
                    MetadataSample.ownTitles(
                            Reconciliation.catalog(
                                    clients.readAll(
                                            Topic.CATALOG_TITLES.topicName(),
                                            CanonicalTitle.class)));
            reviews =
                    MetadataSample.openReviews(
                            clients.readAll(Topic.METADATA_REVIEW.topicName(), ReviewItem.class));
            List<DeadLetter> dlq =
                    clients.readAll(Topic.METADATA_FEED_RAW.dlqName(), DeadLetter.class);
            mismatches = MetadataSample.mismatches(catalog, reviews, dlq);
            if (mismatches.isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        }
        out.printf("  catalog.titles: %d title(s)%n", catalog.size());
        for (CanonicalTitle t : catalog.values()) {
            out.printf(
                    "    %-38s v%d %s%n",
                    t.getContentId(),
                    t.getVersion(),
                    t.getTitles().isEmpty() ? "" : t.getTitles().get(0).getText());
        }
        out.printf("  metadata.review: %d open question(s) %s%n", reviews.size(), reviews.keySet());
        if (!mismatches.isEmpty()) {
            List<String> keys = new java.util.ArrayList<>();
            for (FeedRecord r :
                    clients.readAll(Topic.METADATA_FEED_RAW.topicName(), FeedRecord.class)) {
                keys.add(r.getVendor() + ":" + r.getVendorRecordId());
            }
            out.printf("  metadata.feed.raw holds %s%n", keys);
        }
        return mismatches;
    }

    @Override
    public List<String> hints() {
        return List.of(
                "catalog:        bin/marquee consume catalog.titles --from-beginning",
                "review queue:   bin/marquee consume metadata.review --from-beginning",
                "reconcile:      bin/marquee metadata reconcile");
    }
}
