package dev.marquee.jobs.slo;

import static dev.marquee.jobs.slo.Metrics.MINUTE;
import static dev.marquee.jobs.slo.Metrics.stamp;
import static dev.marquee.jobs.slo.Metrics.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.jobs.common.Loopback;
import dev.marquee.schema.SloMetric;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The CEP patterns through the real CEP operators: three breached windows back to back make one
 * match with all three as evidence; a flapping series and a run with a gap make none; partial
 * matches leave no timers behind.
 */
class AlertPatternsTest {

    @Test
    void threeBreachedWindowsInARowMatchOnce() throws Exception {
        try (var h = harness(true)) {
            for (int m = 0; m < 4; m++) {
                feed(h, success(m, 0.98, 100));
            }
            feed(h, success(4, 1.0, 100));
            h.processWatermark(new Watermark(success(10, 1, 1).getWindowEnd().toEpochMilli()));
            List<AlertSignal> out = h.extractOutputValues();
            assertThat(out)
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.type).isEqualTo(AlertSignal.Type.FIRE);
                                assertThat(s.draft.getEvidence()).hasSize(3);
                                assertThat(s.draft.getEvidence().get(0).getWindowStart())
                                        .isEqualTo(success(0, 0, 0).getWindowStart());
                                assertThat(s.draft.getSummary()).contains("3 windows in a row");
                            });
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aFlappingSeriesNeverCompletesARun() throws Exception {
        try (var h = harness(true)) {
            for (int m = 0; m < 20; m++) {
                feed(h, success(m, m % 2 == 0 ? 0.98 : 1.0, 100));
            }
            h.processWatermark(new Watermark(success(30, 1, 1).getWindowEnd().toEpochMilli()));
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aGapBetweenBreachedWindowsBreaksTheRun() throws Exception {
        try (var h = harness(true)) {
            feed(h, success(0, 0.98, 100));
            feed(h, success(1, 0.98, 100));
            feed(h, success(3, 0.98, 100)); // minute 2 had too little traffic to count
            h.processWatermark(new Watermark(success(30, 1, 1).getWindowEnd().toEpochMilli()));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void threeHealthyWindowsMakeARecoveryRun() throws Exception {
        try (var h = harness(false)) {
            feed(h, success(0, 0.98, 100));
            for (int m = 1; m < 4; m++) {
                feed(h, success(m, 1.0, 100));
            }
            h.processWatermark(new Watermark(success(10, 1, 1).getWindowEnd().toEpochMilli()));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.type).isEqualTo(AlertSignal.Type.CLEAR);
                                assertThat(s.at)
                                        .isEqualTo(success(3, 1, 1).getWindowEnd().toEpochMilli());
                            });
        }
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, SloMetric, AlertSignal> h, SloMetric m)
            throws Exception {
        h.processElement(m, stamp(m));
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, SloMetric, AlertSignal> harness(
            boolean breaches) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        KeyedStream<SloMetric, String> series =
                env.fromData(success(0, 1, 1))
                        .returns(
                                new org.apache.flink.formats.avro.typeutils.AvroTypeInfo<>(
                                        SloMetric.class))
                        .keyBy(SloKeys::metricKey);
        DataStream<AlertSignal> out =
                breaches
                        ? AlertPatterns.sustainedBreaches(series, 3, MINUTE)
                        : AlertPatterns.healthyRuns(series, 3, MINUTE);
        var t = (OneInputTransformation<SloMetric, AlertSignal>) out.getTransformation();
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        t.getOperatorFactory(), SloKeys::metricKey, Types.STRING);
        h.open();
        return h;
    }
}
