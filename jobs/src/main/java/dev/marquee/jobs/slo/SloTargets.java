package dev.marquee.jobs.slo;

import dev.marquee.schema.Sli;
import java.io.Serializable;

/**
 * The SLO of each indicator: its target and which side of it is good. The defaults are the issue's:
 * playback success 99.9 %, DRM license p95 under 100 ms, CDN cache hits at least 95 %, rights-open
 * to asset-available within 30 minutes; start failures and rebuffering at most 1 %.
 */
public record SloTargets(
        double playbackSuccessRate,
        double videoStartFailures,
        double rebufferingRatio,
        double licenseLatencyP95Ms,
        double cdnCacheHitRatio,
        double rightsPropagationMinutes)
        implements Serializable {

    public static SloTargets defaults() {
        return new SloTargets(0.999, 0.01, 0.01, 100.0, 0.95, 30.0);
    }

    public double target(Sli sli) {
        return switch (sli) {
            case PLAYBACK_SUCCESS_RATE -> playbackSuccessRate;
            case VIDEO_START_FAILURES -> videoStartFailures;
            case REBUFFERING_RATIO -> rebufferingRatio;
            case LICENSE_LATENCY_P95_MS -> licenseLatencyP95Ms;
            case CDN_CACHE_HIT_RATIO -> cdnCacheHitRatio;
            case RIGHTS_PROPAGATION_MINUTES -> rightsPropagationMinutes;
            default -> Double.NaN;
        };
    }

    /** Whether a value is on the wrong side of the SLI's target. */
    public boolean breached(Sli sli, double value) {
        double target = target(sli);
        return switch (sli) {
            case PLAYBACK_SUCCESS_RATE, CDN_CACHE_HIT_RATIO -> value < target;
            case LICENSE_LATENCY_P95_MS -> value >= target; // "p95 < 100 ms"
            case VIDEO_START_FAILURES, REBUFFERING_RATIO, RIGHTS_PROPAGATION_MINUTES ->
                    value > target;
            default -> false;
        };
    }

    /**
     * The error budget of a ratio SLI, as the fraction of events allowed to be bad: 0.001 for a
     * 99.9 % success rate. NaN for SLIs without one (latency percentiles, durations).
     */
    public double errorBudget(Sli sli) {
        return switch (sli) {
            case PLAYBACK_SUCCESS_RATE -> 1.0 - playbackSuccessRate;
            case VIDEO_START_FAILURES -> videoStartFailures;
            default -> Double.NaN;
        };
    }

    /** The number of bad events behind a ratio SLI's value over {@code samples} events. */
    public static long badEvents(Sli sli, double value, long samples) {
        return switch (sli) {
            case PLAYBACK_SUCCESS_RATE -> Math.round((1.0 - value) * samples);
            case VIDEO_START_FAILURES -> Math.round(value * samples);
            default -> 0;
        };
    }
}
