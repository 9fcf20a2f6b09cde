package dev.marquee.jobs.rights;

import dev.marquee.io.DeadLetters;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.RightEvent;
import dev.marquee.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by contentId: lets a right through only for a title the canonical catalog knows ({@code
 * catalog.titles}). A right for content that is not there yet waits up to {@code grace} of event
 * time, because studios often send avails before the metadata feed is normalized; if the title
 * still has not appeared, the right goes to rights.events.dlq as UNKNOWN_REFERENCE, naming the
 * content id. A right that waited is released the moment its title appears.
 *
 * <p>State: a "known" flag per title (as many as the catalog has titles) and, for unknown ones, the
 * parked rights and one timer, both cleared when the title appears or the grace ends.
 */
public class ContentGate
        extends KeyedCoProcessFunction<String, RightEvent, CanonicalTitle, RightEvent> {
    private static final long serialVersionUID = 1L;

    private final long graceMillis;
    private final String job;
    private final OutputTag<DeadLetter> deadLetters = DeadLetters.tag();

    private transient ValueState<Boolean> known;
    private transient ListState<RightEvent> parked;
    private transient ValueState<Long> deadline;

    public ContentGate(Duration grace, String job) {
        this.graceMillis = grace.toMillis();
        this.job = job;
    }

    @Override
    public void open(OpenContext openContext) {
        known = getRuntimeContext().getState(new ValueStateDescriptor<>("known", Types.BOOLEAN));
        parked =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "parked-rights", new AvroTypeInfo<>(RightEvent.class)));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
    }

    @Override
    public void processElement1(RightEvent right, Context ctx, Collector<RightEvent> out)
            throws Exception {
        if (Boolean.TRUE.equals(known.value())) {
            out.collect(right);
            return;
        }
        parked.add(right);
        if (deadline.value() == null) {
            long now =
                    Math.max(
                            ctx.timestamp() == null ? Long.MIN_VALUE : ctx.timestamp(),
                            ctx.timerService().currentWatermark());
            long at = now + graceMillis;
            ctx.timerService().registerEventTimeTimer(at);
            deadline.update(at);
        }
    }

    @Override
    public void processElement2(CanonicalTitle title, Context ctx, Collector<RightEvent> out)
            throws Exception {
        if ("RETIRED".equals(title.getStatus())) {
            // A retired title (merged away or no longer described) is not known content: new
            // rights for it wait for, and otherwise dead-letter against, the surviving id.
            known.clear();
            return;
        }
        known.update(true);
        for (RightEvent right : parked.get()) {
            out.collect(right);
        }
        parked.clear();
        Long at = deadline.value();
        if (at != null) {
            ctx.timerService().deleteEventTimeTimer(at);
            deadline.clear();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RightEvent> out)
            throws Exception {
        List<RightEvent> waiting = new ArrayList<>();
        parked.get().forEach(waiting::add);
        for (RightEvent right : waiting) {
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            Topic.RIGHTS_EVENTS.topicName(),
                            right.getRightId(),
                            right,
                            DeadLetterCategory.UNKNOWN_REFERENCE,
                            "contentId: unknown content '"
                                    + right.getContentId()
                                    + "': not in catalog.titles by "
                                    + Instant.ofEpochMilli(timestamp)
                                    + " ("
                                    + Duration.ofMillis(graceMillis)
                                    + " after the right arrived)",
                            job));
        }
        parked.clear();
        deadline.clear();
    }
}
