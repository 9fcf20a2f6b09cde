package dev.marquee.telemetry.sim;

import dev.marquee.schema.DeviceClass;
import java.time.Instant;
import java.util.Objects;

/**
 * A fault the {@link TelemetrySimulator} injects for a time range [from, to), so that the SLO job,
 * its CEP alerts and the demo have something real to find. Each kind moves one SLI out of its
 * target and leaves the others as they were:
 *
 * <ul>
 *   <li>{@link #coldPop}: one edge PoP serves from a cold cache (hit ratio about 55 % instead of
 *       about 97 %), and its sessions rebuffer more;
 *   <li>{@link #slowLicense}: the DRM license server answers with the given p95 latency instead of
 *       about 67 ms;
 *   <li>{@link #failingDevice}: sessions of one device class that start in the range fail to start
 *       about a third of the time (an app release gone wrong).
 * </ul>
 */
public final class Incident {
    /** What breaks. */
    public enum Kind {
        COLD_POP,
        SLOW_LICENSE,
        FAILING_DEVICE
    }

    private final Kind kind;
    private final String pop;
    private final DeviceClass deviceClass;
    private final int p95Ms;
    private final Instant from;
    private final Instant to;

    private Incident(
            Kind kind, String pop, DeviceClass deviceClass, int p95Ms, Instant from, Instant to) {
        this.kind = kind;
        this.pop = pop;
        this.deviceClass = deviceClass;
        this.p95Ms = p95Ms;
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException(
                    "an incident must end after it starts: " + from + " .. " + to);
        }
    }

    /** The PoP {@code pop} (e.g. "fra1", see {@link TelemetrySimulator#popsOf}) runs cold. */
    public static Incident coldPop(String pop, Instant from, Instant to) {
        if (pop == null || pop.isBlank()) {
            throw new IllegalArgumentException("a cold PoP incident needs a PoP name");
        }
        return new Incident(Kind.COLD_POP, pop, null, 0, from, to);
    }

    /** License requests made in the range take {@code p95Ms} at the 95th percentile. */
    public static Incident slowLicense(Instant from, Instant to, int p95Ms) {
        if (p95Ms <= 0) {
            throw new IllegalArgumentException("p95Ms must be positive, was " + p95Ms);
        }
        return new Incident(Kind.SLOW_LICENSE, null, null, p95Ms, from, to);
    }

    /** Sessions of device class {@code c} that start in the range often fail to start. */
    public static Incident failingDevice(DeviceClass c, Instant from, Instant to) {
        return new Incident(
                Kind.FAILING_DEVICE, null, Objects.requireNonNull(c, "device class"), 0, from, to);
    }

    public Kind kind() {
        return kind;
    }

    /** The cold PoP (COLD_POP only). */
    public String pop() {
        return pop;
    }

    /** The failing device class (FAILING_DEVICE only). */
    public DeviceClass deviceClass() {
        return deviceClass;
    }

    /** The license latency p95 in ms (SLOW_LICENSE only). */
    public int p95Ms() {
        return p95Ms;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    /** Whether the instant is in [from, to). */
    public boolean covers(Instant at) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    boolean covers(long epochMillis) {
        return epochMillis >= from.toEpochMilli() && epochMillis < to.toEpochMilli();
    }

    @Override
    public String toString() {
        String what =
                switch (kind) {
                    case COLD_POP -> "cold-pop:" + pop;
                    case SLOW_LICENSE -> "slow-license:" + p95Ms + "ms";
                    case FAILING_DEVICE -> "failing-device:" + deviceClass;
                };
        return what + " " + from + ".." + to;
    }
}
