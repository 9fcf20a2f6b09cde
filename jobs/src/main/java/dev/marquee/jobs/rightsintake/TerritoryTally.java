package dev.marquee.jobs.rightsintake;

/**
 * Running counts for one territory in one window; the accumulator of the count aggregate. A Flink
 * POJO, so it is serialized without Kryo.
 */
public class TerritoryTally {
    public long active;
    public long revoked;

    public TerritoryTally() {}

    public TerritoryTally(long active, long revoked) {
        this.active = active;
        this.revoked = revoked;
    }
}
