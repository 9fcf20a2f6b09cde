package dev.marquee.jobs.rightsintake;

import dev.marquee.schema.TerritoryRightsCount;
import java.time.Instant;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Counts active and revoked rights events per territory and window, incrementally. */
public final class CountPerTerritory {
    private CountPerTerritory() {}

    /** Incremental part: one small accumulator per key and window, not a buffer of events. */
    public static class Tally
            implements AggregateFunction<TerritoryEvent, TerritoryTally, TerritoryTally> {
        private static final long serialVersionUID = 1L;

        @Override
        public TerritoryTally createAccumulator() {
            return new TerritoryTally();
        }

        @Override
        public TerritoryTally add(TerritoryEvent event, TerritoryTally tally) {
            if (event.revoked) {
                tally.revoked++;
            } else {
                tally.active++;
            }
            return tally;
        }

        @Override
        public TerritoryTally getResult(TerritoryTally tally) {
            return tally;
        }

        @Override
        public TerritoryTally merge(TerritoryTally a, TerritoryTally b) {
            return new TerritoryTally(a.active + b.active, a.revoked + b.revoked);
        }
    }

    /** Adds the key and the window bounds to the tally. */
    public static class Emit
            extends ProcessWindowFunction<
                    TerritoryTally, TerritoryRightsCount, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String territory,
                Context context,
                Iterable<TerritoryTally> tallies,
                Collector<TerritoryRightsCount> out) {
            TerritoryTally tally = tallies.iterator().next();
            out.collect(
                    TerritoryRightsCount.newBuilder()
                            .setTerritory(territory)
                            .setWindowStart(Instant.ofEpochMilli(context.window().getStart()))
                            .setWindowEnd(Instant.ofEpochMilli(context.window().getEnd()))
                            .setActive(tally.active)
                            .setRevoked(tally.revoked)
                            .setTotal(tally.active + tally.revoked)
                            .build());
        }
    }
}
