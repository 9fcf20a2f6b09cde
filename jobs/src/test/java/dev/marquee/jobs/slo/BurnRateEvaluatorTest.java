package dev.marquee.jobs.slo;

import static dev.marquee.jobs.slo.Metrics.stamp;
import static dev.marquee.jobs.slo.Metrics.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.AlertKind;
import dev.marquee.schema.SloMetric;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Multi-window burn rates: a fast burn fires once when both windows exceed 14.4x, stays quiet while
 * it lasts, clears after three quiet windows; a short blip does not fire (the long window holds it
 * back); the series' state is pruned to the longest window and dropped when silent.
 */
class BurnRateEvaluatorTest {

    @Test
    void aFastBurnFiresOnceAndClearsAfterThreeQuietWindows() throws Exception {
        try (var h = harness()) {
            for (int m = 0; m < 30; m++) {
                feed(h, success(m, 1.0, 1000));
            }
            for (int m = 30; m < 40; m++) {
                feed(h, success(m, 0.90, 1000)); // 10 % errors = 100x a 0.1 % budget
            }
            List<AlertSignal> fired = h.extractOutputValues();
            assertThat(fired)
                    .extracting(s -> s.type + " " + s.kind)
                    .as("the slow policy's lower threshold is crossed first")
                    .containsExactly("FIRE SLOW_BURN", "FIRE FAST_BURN");
            AlertSignal fast = fired.get(1);
            assertThat(fast.draft.getEvidence()).hasSize(2);
            assertThat(fast.draft.getEvidence().get(0).getTarget()).isEqualTo(14.4);
            assertThat(fast.draft.getEvidence().get(0).getValue()).isGreaterThan(14.4);

            feed(h, success(40, 1.0, 1000));
            feed(h, success(41, 1.0, 1000));
            assertThat(h.extractOutputValues()).hasSize(2);
            for (int m = 42; m < 60; m++) {
                feed(h, success(m, 1.0, 1000));
            }
            assertThat(h.extractOutputValues())
                    .extracting(s -> s.type + " " + s.kind)
                    .contains("CLEAR FAST_BURN");
        }
    }

    @Test
    void aShortBlipInALongHealthyHourDoesNotFire() throws Exception {
        try (var h = harness()) {
            for (int m = 0; m < 60; m++) {
                feed(h, success(m, m == 59 ? 0.90 : 1.0, 1000));
            }
            // 100 bad of 60,000 in the hour = 1.7x: the short window alone is not enough.
            assertThat(h.extractOutputValues()).noneMatch(s -> s.kind == AlertKind.FAST_BURN);
        }
    }

    @Test
    void keepsOnlyTheLongestWindowAndForgetsASilentSeries() throws Exception {
        try (var h = harness()) {
            for (int m = 0; m < 400; m++) {
                feed(h, success(m, 1.0, 100));
            }
            // The window counts (one map, pruned to 6 h) and the burn state.
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(
                    new Watermark(
                            success(399, 1, 1)
                                    .getWindowEnd()
                                    .plus(Duration.ofHours(6))
                                    .toEpochMilli()));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, SloMetric, AlertSignal> h, SloMetric m)
            throws Exception {
        h.processElement(m, stamp(m));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SloMetric, AlertSignal> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new BurnRateEvaluator(
                        SloTargets.defaults(), BurnRatePolicy.fast(), BurnRatePolicy.slow(), 3, 20),
                SloKeys::metricKey,
                Types.STRING);
    }
}
