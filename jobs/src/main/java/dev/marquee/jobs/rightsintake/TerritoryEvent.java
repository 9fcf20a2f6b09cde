package dev.marquee.jobs.rightsintake;

/** One valid rights event as seen from one of its territories. A Flink POJO. */
public class TerritoryEvent {
    public String territory;
    public String rightId;
    public boolean revoked;

    public TerritoryEvent() {}

    public TerritoryEvent(String territory, String rightId, boolean revoked) {
        this.territory = territory;
        this.rightId = rightId;
        this.revoked = revoked;
    }
}
