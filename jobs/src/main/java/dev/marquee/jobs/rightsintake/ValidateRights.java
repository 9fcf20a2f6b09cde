package dev.marquee.jobs.rightsintake;

import dev.marquee.io.DeadLetters;
import dev.marquee.rights.RightValidator;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.RightEvent;
import dev.marquee.topics.Topic;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes well-formed rights on and dead-letters the rest with every problem listed. Also
 * dead-letters records already behind the watermark (late), because the intake counts are
 * event-time windows that have closed for them; they are kept, not dropped.
 */
public class ValidateRights extends ProcessFunction<RightEvent, RightEvent> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<DeadLetter> deadLetters = DeadLetters.tag();

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
                            RightsIntakeTopology.JOB));
            return;
        }
        Long timestamp = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (timestamp != null && timestamp <= watermark) {
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            Topic.RIGHTS_EVENTS.topicName(),
                            right.getRightId(),
                            right,
                            DeadLetterCategory.LATE,
                            "issuedAt "
                                    + Instant.ofEpochMilli(timestamp)
                                    + " is behind the watermark "
                                    + Instant.ofEpochMilli(watermark)
                                    + ": its intake window has closed",
                            RightsIntakeTopology.JOB));
            return;
        }
        out.collect(right);
    }
}
