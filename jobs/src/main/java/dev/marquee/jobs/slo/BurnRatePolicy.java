package dev.marquee.jobs.slo;

import dev.marquee.schema.AlertKind;
import java.io.Serializable;
import java.time.Duration;

/**
 * One multi-window burn-rate alert (the SRE workbook's pattern): fire when the error budget burns
 * faster than {@code threshold} times the sustainable rate over both a long window (enough budget
 * is really gone) and a short one (it is still happening, so the alert also stops soon after the
 * problem does).
 */
public record BurnRatePolicy(
        AlertKind kind, Duration longWindow, Duration shortWindow, double threshold)
        implements Serializable {

    /** 2 % of a 30-day budget in one hour: page. */
    public static BurnRatePolicy fast() {
        return new BurnRatePolicy(
                AlertKind.FAST_BURN, Duration.ofHours(1), Duration.ofMinutes(5), 14.4);
    }

    /** 5 % of a 30-day budget in six hours: ticket. */
    public static BurnRatePolicy slow() {
        return new BurnRatePolicy(
                AlertKind.SLOW_BURN, Duration.ofHours(6), Duration.ofMinutes(30), 6.0);
    }
}
