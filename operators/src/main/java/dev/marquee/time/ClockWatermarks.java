package dev.marquee.time;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks that follow a {@link Clock} as well as the data.
 *
 * <p><b>Why.</b> Rights windows open and close years ahead, and the jobs keep event-time timers for
 * them. With plain bounded out-of-orderness ({@link EventTime#bounded}) event time only moves when
 * records arrive, and idleness only stops a quiet partition from holding the others back: if the
 * whole rights topic is quiet for months, event time stands still and a window that opens in 2029
 * does not open until some unrelated record happens to arrive. Here the watermark is also pushed by
 * the clock, so a window that opens in 2029 opens in 2029 even if no record arrives then.
 *
 * <p><b>The rule.</b> On every periodic emit (Flink's {@code pipeline.auto-watermark-interval}) the
 * generator emits
 *
 * <pre>
 *   max( maxTimestampSeen - outOfOrderness - 1,  clock.now() - clockLag )
 * </pre>
 *
 * and never less than what it emitted before (it never goes backwards, even if the clock is set
 * back). The first term is Flink's bounded out-of-orderness watermark; data stamped ahead of the
 * clock moves event time ahead of the clock. The second term is the clock: {@code clockLag} is how
 * late a record may be, relative to the clock, and still count. A record whose timestamp is behind
 * the current watermark is late: windows drop it, and the jobs route it to a side output ({@code
 * sideOutputLateData}, or in a process function {@code ctx.timestamp() <
 * timerService().currentWatermark()}), never silently.
 *
 * <p><b>No idleness.</b> Do not add {@code withIdleness}: this generator advances on every periodic
 * emit whether or not records arrive, so a quiet partition holds nothing back, and marking it idle
 * would only take its clock-driven progress out of the minimum.
 *
 * <p><b>Units.</b> Both durations are in event time, i.e. in the clock's time. With an {@link
 * AcceleratedClock} one real second is {@code speed} seconds of event time, so {@code clockLag}
 * must be scaled accordingly (a lag of one simulated day is about 0.8 real seconds at the
 * year-in-five-minutes speed).
 */
public final class ClockWatermarks {
    private ClockWatermarks() {}

    /**
     * A strategy whose watermark follows the data (bounded out-of-orderness) and the clock (less
     * {@code clockLag}), whichever is ahead, never going backwards.
     */
    public static <T> WatermarkStrategy<T> followingClock(
            Duration outOfOrderness,
            Duration clockLag,
            Clock clock,
            SerializableTimestampAssigner<T> time) {
        return new Strategy<>(outOfOrderness, clockLag, clock, time);
    }

    private static final class Strategy<T> implements WatermarkStrategy<T> {
        private static final long serialVersionUID = 1L;

        private final long outOfOrdernessMillis;
        private final long clockLagMillis;
        private final Clock clock;
        private final SerializableTimestampAssigner<T> time;

        Strategy(
                Duration outOfOrderness,
                Duration clockLag,
                Clock clock,
                SerializableTimestampAssigner<T> time) {
            this.outOfOrdernessMillis = nonNegativeMillis(outOfOrderness, "outOfOrderness");
            this.clockLagMillis = nonNegativeMillis(clockLag, "clockLag");
            this.clock = Objects.requireNonNull(clock, "clock");
            this.time = Objects.requireNonNull(time, "time");
        }

        @Override
        public WatermarkGenerator<T> createWatermarkGenerator(
                WatermarkGeneratorSupplier.Context context) {
            return new Generator<>(outOfOrdernessMillis, clockLagMillis, clock);
        }

        @Override
        public TimestampAssigner<T> createTimestampAssigner(
                TimestampAssignerSupplier.Context context) {
            return time;
        }
    }

    private static long nonNegativeMillis(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return d.toMillis();
    }

    /**
     * The generator behind {@link #followingClock}; public so that tests and other strategies can
     * drive it directly. Not thread-safe (Flink calls it from one task thread).
     */
    public static final class Generator<T> implements WatermarkGenerator<T> {
        private final long outOfOrdernessMillis;
        private final long clockLagMillis;
        private final Clock clock;

        private long maxTimestamp = Long.MIN_VALUE;
        private long lastEmitted = Long.MIN_VALUE;

        public Generator(Duration outOfOrderness, Duration clockLag, Clock clock) {
            this(
                    nonNegativeMillis(outOfOrderness, "outOfOrderness"),
                    nonNegativeMillis(clockLag, "clockLag"),
                    Objects.requireNonNull(clock, "clock"));
        }

        private Generator(long outOfOrdernessMillis, long clockLagMillis, Clock clock) {
            this.outOfOrdernessMillis = outOfOrdernessMillis;
            this.clockLagMillis = clockLagMillis;
            this.clock = clock;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            lastEmitted = Math.max(lastEmitted, current());
            output.emitWatermark(new Watermark(lastEmitted));
        }

        /** The watermark the data and the clock allow right now, before the never-back rule. */
        private long current() {
            long fromData =
                    maxTimestamp == Long.MIN_VALUE
                            ? Long.MIN_VALUE
                            : saturatedMinus(saturatedMinus(maxTimestamp, outOfOrdernessMillis), 1);
            long fromClock = saturatedMinus(clock.now(), clockLagMillis);
            return Math.max(fromData, fromClock);
        }

        private static long saturatedMinus(long a, long b) {
            long r = a - b;
            // overflow iff a and b have different signs and r's sign differs from a's
            if (((a ^ b) & (a ^ r)) < 0) {
                return b > 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            return r;
        }
    }
}
