package dev.marquee.jobs.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The license p95 comes from a KLL sketch, not a sorted list. Property: for any latencies, split
 * into any two parts accumulated separately and merged (as window panes are), and after a trip
 * through the state serializer, the p95 the sketch reports has a rank in the exact sorted list
 * within the sketch's documented normalized rank error of 0.95.
 */
class LicenseLatencySketchPropertyTest {

    @Property(tries = 200)
    void p95IsWithinTheRankErrorOfTheExactP95(
            @ForAll @Size(min = 1, max = 5000)
                    List<@IntRange(min = 0, max = 5000) Integer> latencies,
            @ForAll @IntRange(min = 0, max = 100) int splitPercent)
            throws Exception {
        int split = latencies.size() * splitPercent / 100;
        SliAccumulator a = new SliAccumulator();
        SliAccumulator b = new SliAccumulator();
        for (int i = 0; i < latencies.size(); i++) {
            SliSample s = new SliSample();
            s.licenseLatencyMs = latencies.get(i);
            (i < split ? a : b).add(s);
        }
        SliAccumulator merged = roundTrip(a).merge(roundTrip(b));
        assertThat(merged.latencyCount()).isEqualTo(latencies.size());

        double p95 = merged.latencyQuantile(0.95);
        int[] sorted = latencies.stream().mapToInt(Integer::intValue).sorted().toArray();
        int n = sorted.length;
        // Normalized ranks the reported value can stand for: from the fraction strictly below it
        // to the fraction at or below it (ties span a range of ranks).
        double below = (double) countBelow(sorted, p95, false) / n;
        double atOrBelow = (double) countBelow(sorted, p95, true) / n;
        double eps = SliAccumulator.rankError();
        assertThat(Arrays.binarySearch(sorted, (int) p95))
                .as("the sketch returns one of the values it saw")
                .isGreaterThanOrEqualTo(0);
        assertThat(atOrBelow).as("rank of %s", p95).isGreaterThanOrEqualTo(0.95 - eps);
        assertThat(below).as("rank of %s", p95).isLessThanOrEqualTo(0.95 + eps);
    }

    private static long countBelow(int[] sorted, double value, boolean inclusive) {
        return Arrays.stream(sorted).filter(v -> inclusive ? v <= value : v < value).count();
    }

    private static SliAccumulator roundTrip(SliAccumulator a) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SliAccumulatorSerializer.INSTANCE.serialize(a, out);
        return SliAccumulatorSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
