package dev.marquee.time;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The watermark policy every job uses: bounded out-of-orderness (producers and partitions
 * interleave) and idleness (a partition with no traffic, common on rights topics, must not hold
 * back event time for the whole job).
 */
public final class EventTime {
    private EventTime() {}

    public static <T> WatermarkStrategy<T> bounded(
            Duration outOfOrderness, Duration idleness, SerializableTimestampAssigner<T> time) {
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(time)
                .withIdleness(idleness);
    }
}
