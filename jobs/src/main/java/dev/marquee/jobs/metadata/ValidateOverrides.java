package dev.marquee.jobs.metadata;

import dev.marquee.io.DeadLetters;
import dev.marquee.metadata.Overrides;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.topics.Topic;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes overrides that can be applied; the rest go to metadata.overrides.dlq with the reason. */
public class ValidateOverrides extends ProcessFunction<EditorialOverride, EditorialOverride> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<DeadLetter> deadLetters = DeadLetters.tag();
    private final String job;

    public ValidateOverrides(String job) {
        this.job = job;
    }

    @Override
    public void processElement(
            EditorialOverride override, Context ctx, Collector<EditorialOverride> out) {
        List<String> problems = Overrides.problems(override);
        if (problems.isEmpty()) {
            out.collect(override);
        } else {
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            Topic.METADATA_OVERRIDES.topicName(),
                            override.getContentId(),
                            override,
                            DeadLetterCategory.INVALID,
                            String.join("; ", problems),
                            job));
        }
    }
}
