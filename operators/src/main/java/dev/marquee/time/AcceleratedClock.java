package dev.marquee.time;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A simulated clock for the demo: it reads {@code simulatedStart} the first time it is asked and
 * from then on runs {@code speed} times faster than real time:
 *
 * <pre>
 *   now() = simulatedStart + (real - realStart) * speed
 * </pre>
 *
 * where {@code realStart} is the real time at the first {@link #now()} call <em>on this object
 * instance</em>. For example {@code speed = 86400 * 365 / 300.0} plays a (365-day) year in five
 * real minutes, so 2026 to 2031 plays in about 25 minutes.
 *
 * <p><b>Per JVM instance.</b> {@code realStart} is {@code transient}: it is not serialized, and
 * every deserialized copy starts its own clock at {@code simulatedStart} when it is first asked. In
 * Flink each parallel source subtask deserializes its own copy of the watermark strategy, so
 * subtasks that start at different real times are offset from one another by (start difference ×
 * speed) of simulated time; at the year-in-five-minutes speed one real second is about 29 simulated
 * hours. The job's watermark is the minimum over subtasks, so the latest-started subtask governs.
 * Likewise a job restart (failover, restore from a checkpoint or savepoint) starts the simulation
 * again at {@code simulatedStart}; watermark generators are not checkpointed, and event time will
 * not pass the records already seen until the clock catches up with them. This is acceptable for
 * the demo; it is not a clock to run production on (use {@link WallClock}).
 *
 * <p>Saturates at {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} instead of overflowing. If real
 * time steps backwards (NTP), so does this clock; {@link ClockWatermarks} never lets the watermark
 * go backwards, whatever the clock does.
 */
public final class AcceleratedClock implements Clock {
    private static final long serialVersionUID = 1L;

    private final long simulatedStartMillis;
    private final double speed;
    private final LongSupplier realMillis;

    /** Real start fixed when the job was built (anchored clocks), or MIN_VALUE (first use). */
    private final long anchorMillis;

    private transient boolean started;
    private transient long realStart;

    /** Accelerated clock over the real wall clock ({@link System#currentTimeMillis()}). */
    public AcceleratedClock(Instant simulatedStart, double speed) {
        this(simulatedStart, speed, new SystemMillis());
    }

    /**
     * Accelerated clock over the given source of real time in epoch milliseconds (tests pass a fake
     * one). {@code realMillis} must also implement {@link Serializable}, as the clock is serialized
     * with the job; this is checked here so that a mistake fails at construction, not at job
     * submission.
     */
    public AcceleratedClock(Instant simulatedStart, double speed, LongSupplier realMillis) {
        Objects.requireNonNull(simulatedStart, "simulatedStart");
        Objects.requireNonNull(realMillis, "realMillis");
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be positive and finite, was " + speed);
        }
        if (!(realMillis instanceof Serializable)) {
            throw new IllegalArgumentException(
                    "realMillis must be Serializable (e.g. (LongSupplier & Serializable) ...)");
        }
        this.simulatedStartMillis = simulatedStart.toEpochMilli();
        this.speed = speed;
        this.realMillis = realMillis;
        this.anchorMillis = Long.MIN_VALUE;
    }

    private AcceleratedClock(
            Instant simulatedStart, double speed, LongSupplier realMillis, Instant realAnchor) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be positive and finite, was " + speed);
        }
        this.simulatedStartMillis = simulatedStart.toEpochMilli();
        this.speed = speed;
        this.realMillis = realMillis;
        this.anchorMillis = realAnchor.toEpochMilli();
    }

    /**
     * A clock anchored to a real instant chosen when the job is built: it reads {@code
     * simulatedStart} until {@code realAnchor} and then runs {@code speed} times faster. Every
     * parallel copy, and every restore of the job, shares the anchor, so subtasks agree on the time
     * and a restored job continues where the simulation would be instead of starting over. The demo
     * anchors a few seconds after submission, so its sample rights are read before simulated time
     * starts to run.
     */
    public static AcceleratedClock anchored(
            Instant simulatedStart, double speed, Instant realAnchor) {
        return new AcceleratedClock(simulatedStart, speed, new SystemMillis(), realAnchor);
    }

    /** The same over another source of real time (tests). */
    public static AcceleratedClock anchored(
            Instant simulatedStart, double speed, Instant realAnchor, LongSupplier realMillis) {
        if (!(realMillis instanceof Serializable)) {
            throw new IllegalArgumentException("realMillis must be Serializable");
        }
        return new AcceleratedClock(simulatedStart, speed, realMillis, realAnchor);
    }

    /**
     * The speed that plays {@code simulated} in {@code real}; e.g. {@code speedFor(365 days, 5
     * minutes)} is {@code 86400 * 365 / 300.0}.
     */
    public static double speedFor(Duration simulated, Duration real) {
        return (double) simulated.toMillis() / real.toMillis();
    }

    @Override
    public synchronized long now() {
        long real = realMillis.getAsLong();
        if (!started) {
            started = true;
            realStart = anchorMillis == Long.MIN_VALUE ? real : anchorMillis;
        }
        double simulatedElapsed = (double) Math.max(0, real - realStart) * speed;
        // (long) of a double saturates at Long.MIN_VALUE / MAX_VALUE; so does the sum below.
        long elapsed = (long) simulatedElapsed;
        long result = simulatedStartMillis + elapsed;
        if (((simulatedStartMillis ^ result) & (elapsed ^ result)) < 0) {
            return elapsed > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return result;
    }

    public Instant simulatedStart() {
        return Instant.ofEpochMilli(simulatedStartMillis);
    }

    public double speed() {
        return speed;
    }

    @Override
    public String toString() {
        return "AcceleratedClock[start=" + simulatedStart() + ", speed=" + speed + "]";
    }

    private static final class SystemMillis implements LongSupplier, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public long getAsLong() {
            return System.currentTimeMillis();
        }
    }
}
