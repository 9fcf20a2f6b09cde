package dev.marquee.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.time.TestClocks.FakeClock;
import dev.marquee.time.TestClocks.RecordingOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.junit.jupiter.api.Test;

class ClockWatermarksTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final Duration OOO = Duration.ofSeconds(5);
    private static final Duration LAG = Duration.ofMinutes(10);

    private final FakeClock clock = new FakeClock(T0);
    private final RecordingOutput out = new RecordingOutput();
    private final WatermarkGenerator<String> gen = new ClockWatermarks.Generator<>(OOO, LAG, clock);

    @Test
    void beforeAnyDataTheWatermarkIsTheClockLessTheLag() {
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(T0 - LAG.toMillis());
    }

    @Test
    void advancesWithData() {
        // data just ahead of the clock-driven watermark
        gen.onEvent("a", T0 + HOUR, out);
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(T0 + HOUR - OOO.toMillis() - 1);

        gen.onEvent("b", T0 + 2 * HOUR, out);
        gen.onEvent("c", T0 + HOUR + 1, out); // out of order: does not lower the maximum
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(T0 + 2 * HOUR - OOO.toMillis() - 1);
    }

    @Test
    void onEventAloneEmitsNothing() {
        gen.onEvent("a", T0 + HOUR, out);
        assertThat(out.watermarks).isEmpty();
    }

    @Test
    void advancesWithTheClockWhenNoDataArrives() {
        gen.onEvent("a", T0, out);
        gen.onPeriodicEmit(out);
        long first = out.last();

        // months with no rights events: a window opening in 2029 must still open in 2029
        long window2029 = Instant.parse("2029-03-01T00:00:00Z").toEpochMilli();
        clock.set(window2029 + LAG.toMillis());
        gen.onPeriodicEmit(out);

        assertThat(out.last()).isGreaterThan(first).isEqualTo(window2029);
        assertThat(out.idleCalls).isZero();
    }

    @Test
    void neverGoesBackwardsWhenTheClockIsSetBack() {
        clock.set(T0 + 10 * HOUR);
        gen.onPeriodicEmit(out);
        long high = out.last();
        assertThat(high).isEqualTo(T0 + 10 * HOUR - LAG.toMillis());

        clock.set(T0); // NTP step, or an operator mistake
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(high);

        clock.set(T0 + 11 * HOUR);
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(T0 + 11 * HOUR - LAG.toMillis());
    }

    @Test
    void neverGoesBackwardsWhenOlderDataArrives() {
        gen.onEvent("new", T0 + 5 * HOUR, out);
        gen.onPeriodicEmit(out);
        long high = out.last();

        gen.onEvent("old", T0 - 3 * HOUR, out); // a late record: the job side-outputs it
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(high);
        assertThat(out.watermarks).isSorted();
    }

    @Test
    void dataAheadOfTheClockMovesTheWatermarkAheadOfTheClock() {
        long ahead = T0 + 400 * 24 * HOUR;
        gen.onEvent("scheduled-ahead", ahead, out);
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(ahead - OOO.toMillis() - 1).isGreaterThan(clock.now());

        // the clock catching up does not pull it back; passing it takes over
        clock.set(ahead - HOUR);
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(ahead - OOO.toMillis() - 1);
        clock.set(ahead + HOUR);
        gen.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(ahead + HOUR - LAG.toMillis());
    }

    @Test
    void extremeTimestampsDoNotOverflow() {
        FakeClock early = new FakeClock(Long.MIN_VALUE);
        WatermarkGenerator<String> g = new ClockWatermarks.Generator<>(OOO, LAG, early);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(Long.MIN_VALUE);

        g.onEvent("min", Long.MIN_VALUE, out);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(Long.MIN_VALUE);

        g.onEvent("max", Long.MAX_VALUE, out);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(Long.MAX_VALUE - OOO.toMillis() - 1);
    }

    @Test
    void rejectsNegativeDurations() {
        assertThatThrownBy(
                        () ->
                                ClockWatermarks.followingClock(
                                        Duration.ofSeconds(-1),
                                        LAG,
                                        clock,
                                        (String s, long t) -> t))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClockWatermarks.Generator<String>(OOO, LAG.negated(), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strategyUsesTheAssignerAndTheClockAndSurvivesJavaSerialization() {
        Clock fixed = () -> T0 + HOUR;
        SerializableTimestampAssigner<String> assigner = (s, ts) -> Long.parseLong(s);
        WatermarkStrategy<String> strategy =
                ClockWatermarks.followingClock(OOO, LAG, fixed, assigner);

        WatermarkStrategy<String> copy = TestClocks.roundTrip(strategy);

        assertThat(copy).isNotSameAs(strategy);
        for (WatermarkStrategy<String> s : List.of(strategy, copy)) {
            assertThat(s.createTimestampAssigner(null).extractTimestamp("42", 0L)).isEqualTo(42L);
            WatermarkGenerator<String> g = s.createWatermarkGenerator(null);
            RecordingOutput o = new RecordingOutput();
            g.onPeriodicEmit(o);
            assertThat(o.last()).isEqualTo(T0 + HOUR - LAG.toMillis());
            g.onEvent("x", T0 + 3 * HOUR, o);
            g.onPeriodicEmit(o);
            assertThat(o.last()).isEqualTo(T0 + 3 * HOUR - OOO.toMillis() - 1);
        }
    }

    @Test
    void strategyWithAcceleratedClockSurvivesJavaSerialization() {
        AcceleratedClock accelerated =
                new AcceleratedClock(Instant.ofEpochMilli(T0), 3600, new FakeClock(1_000));
        WatermarkStrategy<String> copy =
                TestClocks.roundTrip(
                        ClockWatermarks.followingClock(
                                OOO, LAG, accelerated, (String s, long t) -> t));
        RecordingOutput o = new RecordingOutput();
        copy.createWatermarkGenerator(null).onPeriodicEmit(o);
        assertThat(o.last()).isEqualTo(T0 - LAG.toMillis());
    }
}
