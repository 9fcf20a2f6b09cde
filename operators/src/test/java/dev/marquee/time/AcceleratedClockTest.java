package dev.marquee.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.marquee.time.TestClocks.FakeClock;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class AcceleratedClockTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void oneRealSecondAtSpeed3600IsOneSimulatedHour() {
        FakeClock real = new FakeClock(1_700_000_000_000L);
        AcceleratedClock clock = new AcceleratedClock(START, 3600, real);

        assertThat(Instant.ofEpochMilli(clock.now())).isEqualTo(START); // first ask: start
        real.advance(1_000);
        assertThat(Instant.ofEpochMilli(clock.now())).isEqualTo(START.plus(Duration.ofHours(1)));
        real.advance(500);
        assertThat(Instant.ofEpochMilli(clock.now())).isEqualTo(START.plus(Duration.ofMinutes(90)));
    }

    @Test
    void startsCountingWhenFirstAskedNotWhenBuilt() {
        FakeClock real = new FakeClock(0);
        AcceleratedClock clock = new AcceleratedClock(START, 3600, real);
        real.advance(60_000); // a minute passes before anyone asks
        assertThat(clock.now()).isEqualTo(START.toEpochMilli());
        real.advance(1_000);
        assertThat(clock.now()).isEqualTo(START.plus(Duration.ofHours(1)).toEpochMilli());
    }

    @Test
    void aYearInFiveMinutes() {
        double speed = 86400.0 * 365 / 300;
        assertThat(AcceleratedClock.speedFor(Duration.ofDays(365), Duration.ofMinutes(5)))
                .isCloseTo(speed, within(1e-9));
        FakeClock real = new FakeClock(0);
        AcceleratedClock clock = new AcceleratedClock(START, speed, real);
        clock.now();
        real.advance(Duration.ofMinutes(5).toMillis());
        assertThat(Instant.ofEpochMilli(clock.now()))
                .isEqualTo(START.plus(Duration.ofDays(365))); // 2027-01-01
    }

    @Test
    void saturatesInsteadOfOverflowing() {
        FakeClock real = new FakeClock(0);
        AcceleratedClock clock = new AcceleratedClock(START, 1e12, real);
        clock.now();
        real.advance(Long.MAX_VALUE / 2);
        assertThat(clock.now()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsBadArguments() {
        FakeClock real = new FakeClock(0);
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new AcceleratedClock(START, bad, real))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        LongSupplier notSerializable = () -> 0L;
        assertThatThrownBy(() -> new AcceleratedClock(START, 2, notSerializable))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Real time that a deserialized copy still shares with the test: a static counter. */
    static final AtomicLong SHARED_REAL = new AtomicLong();

    static final class SharedReal implements LongSupplier, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public long getAsLong() {
            return SHARED_REAL.get();
        }
    }

    @Test
    void javaSerializationKeepsStartAndSpeedAndRestartsTheClockPerInstance() {
        SHARED_REAL.set(10_000);
        AcceleratedClock clock = new AcceleratedClock(START, 3600, new SharedReal());
        clock.now();
        SHARED_REAL.addAndGet(2_000);
        assertThat(clock.now()).isEqualTo(START.plus(Duration.ofHours(2)).toEpochMilli());

        AcceleratedClock copy = TestClocks.roundTrip(clock);
        assertThat(copy.simulatedStart()).isEqualTo(START);
        assertThat(copy.speed()).isEqualTo(3600);
        // the copy is a new instance: its real start is its own first ask
        assertThat(copy.now()).isEqualTo(START.toEpochMilli());
        SHARED_REAL.addAndGet(1_000);
        assertThat(copy.now()).isEqualTo(START.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(clock.now()).isEqualTo(START.plus(Duration.ofHours(3)).toEpochMilli());
    }

    @Test
    void defaultRealTimeIsTheWallClockAndSerializes() {
        AcceleratedClock clock = TestClocks.roundTrip(new AcceleratedClock(START, 1.0));
        long t = clock.now();
        assertThat(t).isBetween(START.toEpochMilli(), START.toEpochMilli() + 60_000);
    }

    @Test
    void wallClockIsTheSystemClockAndSerializesToTheSingleton() {
        long before = System.currentTimeMillis();
        long now = WallClock.INSTANCE.now();
        long after = System.currentTimeMillis();
        assertThat(now).isBetween(before, after);

        WallClock copy = TestClocks.roundTrip(WallClock.INSTANCE);
        assertThat(copy).isSameAs(WallClock.INSTANCE);
        assertThat(copy.now()).isGreaterThanOrEqualTo(after);
    }
}
