package dev.marquee.jobs.slo;

/** Per series: which burn-rate policies are firing and how long they have been quiet. A POJO. */
public class BurnState {
    public boolean fastFiring;
    public int fastQuietWindows;
    public boolean slowFiring;
    public int slowQuietWindows;

    /** End of the latest window seen, and the cleanup timer armed for it. */
    public long lastWindowEnd = Long.MIN_VALUE;

    public long cleanupTimer = Long.MIN_VALUE;

    public BurnState() {}
}
