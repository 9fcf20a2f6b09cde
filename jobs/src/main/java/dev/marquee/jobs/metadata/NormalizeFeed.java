package dev.marquee.jobs.metadata;

import dev.marquee.io.DeadLetters;
import dev.marquee.metadata.FeedRecords;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.FeedRecord;
import dev.marquee.topics.Topic;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Applies {@link FeedRecords#normalize} to every record on metadata.feed.raw: the ingest already
 * did (it is idempotent), but records can reach the topic by other producers. A record that cannot
 * be normalized goes to metadata.feed.raw.dlq with every problem named; the job keeps running.
 */
public class NormalizeFeed extends ProcessFunction<FeedRecord, FeedRecord> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<DeadLetter> deadLetters = DeadLetters.tag();
    private final String job;

    public NormalizeFeed(String job) {
        this.job = job;
    }

    @Override
    public void processElement(FeedRecord record, Context ctx, Collector<FeedRecord> out) {
        FeedRecords.Result result = FeedRecords.normalize(record);
        if (result.ok()) {
            out.collect(result.record());
        } else {
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            Topic.METADATA_FEED_RAW.topicName(),
                            record.getVendor() + ":" + record.getVendorRecordId(),
                            record,
                            DeadLetterCategory.INVALID,
                            String.join("; ", result.problems()),
                            job));
        }
    }
}
