package dev.marquee.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.time.TestClocks.FakeClock;
import dev.marquee.time.TestClocks.RecordingOutput;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/**
 * For random interleavings of events (in and out of order, behind and ahead of the clock), clock
 * ticks (mostly forward, sometimes back) and periodic emits, the emitted watermarks are
 * non-decreasing, never exceed max(maxTs - ooo - 1, clock - lag) (taking the highest clock reading
 * so far, as the watermark keeps what an earlier, higher reading allowed), and are exactly the
 * running maximum of that bound.
 */
class ClockWatermarksPropertyTest {
    private static final long T0 = 1_798_761_600_000L; // 2027-01-01T00:00:00Z
    private static final long SPAN = Duration.ofDays(30).toMillis();

    /** 0 = event at ts, 1 = clock moves by delta, 2 = periodic emit. */
    record Step(int kind, long value) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> event =
                Arbitraries.longs().between(T0 - SPAN, T0 + SPAN).map(ts -> new Step(0, ts));
        Arbitrary<Step> tick =
                Arbitraries.frequencyOf(
                                Tuple.of(8, Arbitraries.longs().between(0, SPAN / 20)),
                                Tuple.of(1, Arbitraries.longs().between(-SPAN / 10, 0)))
                        .map(d -> new Step(1, d));
        Arbitrary<Step> emit = Arbitraries.just(new Step(2, 0));
        return Arbitraries.oneOf(event, tick, emit).list().ofMaxSize(200);
    }

    @Property(tries = 500)
    void watermarksAreMonotoneAndBounded(
            @ForAll("steps") List<Step> steps,
            @ForAll @LongRange(min = 0, max = 3_600_000) long oooMillis,
            @ForAll @LongRange(min = 0, max = 86_400_000) long lagMillis,
            @ForAll @LongRange(min = -2_592_000_000L, max = 2_592_000_000L) long clockOffset) {
        FakeClock clock = new FakeClock(T0 + clockOffset);
        ClockWatermarks.Generator<Long> gen =
                new ClockWatermarks.Generator<>(
                        Duration.ofMillis(oooMillis), Duration.ofMillis(lagMillis), clock);
        RecordingOutput out = new RecordingOutput();

        long maxTs = Long.MIN_VALUE;
        long maxClockAtEmit = Long.MIN_VALUE;
        long model = Long.MIN_VALUE;
        for (Step step : steps) {
            switch (step.kind()) {
                case 0 -> {
                    gen.onEvent(step.value(), step.value(), out);
                    maxTs = Math.max(maxTs, step.value());
                }
                case 1 -> clock.advance(step.value());
                default -> {
                    gen.onPeriodicEmit(out);
                    maxClockAtEmit = Math.max(maxClockAtEmit, clock.now());
                    long fromData =
                            maxTs == Long.MIN_VALUE ? Long.MIN_VALUE : maxTs - oooMillis - 1;
                    long bound = Math.max(fromData, maxClockAtEmit - lagMillis);
                    long now = Math.max(fromData, clock.now() - lagMillis);
                    model = Math.max(model, now);

                    long emitted = out.last();
                    assertThat(emitted).isLessThanOrEqualTo(bound);
                    assertThat(emitted).isGreaterThanOrEqualTo(now);
                    assertThat(emitted).isEqualTo(model);
                }
            }
        }
        assertThat(out.watermarks).isSorted();
        assertThat(out.idleCalls).isZero();
    }
}
