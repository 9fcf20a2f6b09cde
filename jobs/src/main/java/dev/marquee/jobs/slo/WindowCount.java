package dev.marquee.jobs.slo;

/** Bad and total events of one SLI window, as the burn-rate evaluator keeps them. A POJO. */
public class WindowCount {
    public long windowEnd;
    public long bad;
    public long total;

    public WindowCount() {}

    public WindowCount(long windowEnd, long bad, long total) {
        this.windowEnd = windowEnd;
        this.bad = bad;
        this.total = total;
    }
}
