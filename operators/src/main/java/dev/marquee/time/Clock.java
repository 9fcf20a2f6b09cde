package dev.marquee.time;

import java.io.Serializable;

/**
 * What time it is now, in epoch milliseconds, for the jobs' notion of "the present".
 *
 * <p>Serializable because it travels inside a Flink {@code WatermarkStrategy} (see {@link
 * ClockWatermarks}) from the client to every task manager, where each parallel instance
 * deserializes its own copy. Implementations must therefore be cheap, thread-safe and carry no
 * non-serializable state other than in {@code transient} fields.
 *
 * <ul>
 *   <li>{@link WallClock}: the real wall clock, for production.
 *   <li>{@link AcceleratedClock}: a simulated clock that starts at a chosen instant and runs faster
 *       than real time, for the demo (2026 to 2031 in minutes).
 * </ul>
 */
@FunctionalInterface
public interface Clock extends Serializable {
    /** The current time in epoch milliseconds. */
    long now();
}
