package dev.marquee.jobs.slo;

import dev.marquee.schema.Sli;
import dev.marquee.schema.SloMetric;
import java.time.Duration;
import java.time.Instant;

/** Hand-built SLI windows (one-minute) for the alerting tests. */
final class Metrics {
    private Metrics() {}

    static final Duration MINUTE = Duration.ofMinutes(1);

    /** The success-rate window number {@code minute} of JP/TV. */
    static SloMetric success(int minute, double value, long samples) {
        return metric(Sli.PLAYBACK_SUCCESS_RATE, minute, value, samples);
    }

    static SloMetric metric(Sli sli, int minute, double value, long samples) {
        SloTargets targets = SloTargets.defaults();
        Instant start = Plays.T0.plus(MINUTE.multipliedBy(minute));
        return SloMetric.newBuilder()
                .setTerritory("JP")
                .setDeviceClass("TV")
                .setSli(sli)
                .setWindowStart(start)
                .setWindowEnd(start.plus(MINUTE))
                .setValue(value)
                .setTarget(targets.target(sli))
                .setSamples(samples)
                .setBreached(targets.breached(sli, value))
                .build();
    }

    /** The window operator stamps a window's result with its last millisecond. */
    static long stamp(SloMetric m) {
        return m.getWindowEnd().toEpochMilli() - 1;
    }
}
