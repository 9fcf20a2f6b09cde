package dev.marquee.jobs.slo;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Local pre-aggregation in front of the SLI window: sums the samples of one group and one window in
 * the subtask that made them, so that instead of one or two samples per player event, a few per
 * group and window cross the network to the window operator (the first phase of a two-phase
 * aggregation, as Flink SQL's local-global aggregation does). The window's result is the same: it
 * sums the partial sums as it summed the samples, and latencies travel one by one into its sketch.
 *
 * <p>It keeps no state: what it holds is emitted before every checkpoint barrier ({@link
 * #prepareSnapshotPreBarrier}), so a checkpoint never needs it, and before the watermark that
 * closes the window ({@link #processWatermark}), so the sums reach the window on time. A sample
 * already behind the watermark passes through at once for the window to treat as late, as before.
 * Each sum carries its window's last millisecond as timestamp: it lands in the same window.
 */
public class SliPreAggregator extends AbstractStreamOperator<SliSample>
        implements OneInputStreamOperator<SliSample, SliSample> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;

    /** Window start -> group -> the sum so far. */
    private transient TreeMap<Long, Map<Group, SliSample>> open;

    /** The window the previous sample went to: a backlog's samples mostly share one. */
    private transient long lastStart;

    private transient Map<Group, SliSample> lastGroups;

    private transient long watermark;

    public SliPreAggregator(java.time.Duration window) {
        this.windowMs = window.toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        open = new TreeMap<>();
        watermark = Long.MIN_VALUE;
        lastGroups = null;
    }

    @Override
    public void processElement(StreamRecord<SliSample> element) {
        SliSample sample = element.getValue();
        if (!element.hasTimestamp() || element.getTimestamp() <= watermark) {
            output.collect(element);
            return;
        }
        long start = TimeWindow.getWindowStartWithOffset(element.getTimestamp(), 0, windowMs);
        if (lastGroups == null || start != lastStart) {
            lastGroups = open.computeIfAbsent(start, s -> new HashMap<>());
            lastStart = start;
        }
        // The group as a key object: SliSample.group() would build a string for every sample.
        Group group = new Group(sample.territory, sample.deviceClass, sample.pop);
        SliSample sum = lastGroups.get(group);
        if (sum == null) {
            sum = sample.emptyOfGroup();
            lastGroups.put(group, sum);
        }
        sum.merge(sample);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        Iterator<Map.Entry<Long, Map<Group, SliSample>>> windows = open.entrySet().iterator();
        while (windows.hasNext()) {
            Map.Entry<Long, Map<Group, SliSample>> window = windows.next();
            long last = window.getKey() + windowMs - 1;
            if (last > watermark) {
                break; // sorted by start: the rest are later still
            }
            emit(last, window.getValue());
            windows.remove();
            lastGroups = null;
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushAll();
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    /** Groups x windows held right now (tests check it is empty after a flush). */
    int held() {
        return open.values().stream().mapToInt(Map::size).sum();
    }

    private void flushAll() {
        for (Map.Entry<Long, Map<Group, SliSample>> window : open.entrySet()) {
            emit(window.getKey() + windowMs - 1, window.getValue());
        }
        open.clear();
        lastGroups = null;
    }

    /**
     * What {@link SliSample#group()} says, without building its string. Hand-written equality: the
     * strings are the session tracker's pooled copies, so they mostly match by reference, and a
     * record's generated equals and hashCode went through method handles on every sample.
     */
    private static final class Group {
        private final String territory;
        private final String deviceClass;
        private final String pop;
        private final int hash;

        Group(String territory, String deviceClass, String pop) {
            this.territory = territory;
            this.deviceClass = deviceClass;
            this.pop = pop;
            this.hash =
                    31 * (31 * Objects.hashCode(territory) + Objects.hashCode(deviceClass))
                            + Objects.hashCode(pop);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Group g
                    && hash == g.hash
                    && same(territory, g.territory)
                    && same(deviceClass, g.deviceClass)
                    && same(pop, g.pop);
        }

        private static boolean same(String a, String b) {
            return a == b || (a != null && a.equals(b));
        }
    }

    private void emit(long timestamp, Map<Group, SliSample> sums) {
        for (SliSample sum : sums.values()) {
            output.collect(new StreamRecord<>(sum, timestamp));
        }
    }
}
