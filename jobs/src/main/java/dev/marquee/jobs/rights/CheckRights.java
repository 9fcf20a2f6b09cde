package dev.marquee.jobs.rights;

import dev.marquee.io.DeadLetters;
import dev.marquee.rights.RightValidator;
import dev.marquee.schema.AuditKind;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.RightEvent;
import dev.marquee.topics.Topic;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The lifecycle job's door: malformed rights (end before start, unknown territory, bad dates, no
 * content) go to rights.events.dlq with every problem named; the job keeps running.
 *
 * <p>A right that arrives behind the watermark is <em>not</em> dropped or dead-lettered here,
 * unlike in the intake counts: it is a legal fact and still applies, from the current event time on
 * (a window cannot open in the past). It goes on, and a note goes to the {@link #LATE} side output,
 * which the job writes into the title's audit chain so the late arrival is on record.
 */
public class CheckRights extends ProcessFunction<RightEvent, RightEvent> {
    private static final long serialVersionUID = 1L;

    /** Rights that arrived behind the watermark (still applied), as audit entries. */
    public static final OutputTag<AuditEntry> LATE =
            new OutputTag<>("late-rights", TypeInformation.of(AuditEntry.class));

    private final OutputTag<DeadLetter> deadLetters = DeadLetters.tag();
    private final String job;

    public CheckRights(String job) {
        this.job = job;
    }

    @Override
    public void processElement(RightEvent right, Context ctx, Collector<RightEvent> out) {
        List<String> problems = RightValidator.problems(right);
        if (!problems.isEmpty()) {
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            Topic.RIGHTS_EVENTS.topicName(),
                            right.getRightId(),
                            right,
                            DeadLetterCategory.INVALID,
                            String.join("; ", problems),
                            job));
            return;
        }
        Long timestamp = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (timestamp != null && timestamp <= watermark) {
            ctx.output(
                    LATE,
                    new AuditEntry(
                            right.getContentId(),
                            AuditKind.OTHER,
                            right.getRightId(),
                            right.getRevision(),
                            null,
                            "arrived late: issued "
                                    + Instant.ofEpochMilli(timestamp)
                                    + ", applied from event time "
                                    + Instant.ofEpochMilli(watermark),
                            watermark));
        }
        out.collect(right);
    }
}
