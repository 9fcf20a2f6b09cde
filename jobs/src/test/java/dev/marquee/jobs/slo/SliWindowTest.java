package dev.marquee.jobs.slo;

import static dev.marquee.jobs.slo.Plays.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.jobs.common.Loopback;
import dev.marquee.schema.Sli;
import dev.marquee.schema.SloMetric;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The SLI window through the real window operator the topology builds (with the accumulator's own
 * serializer in state): values, targets and breach flags per SLI, the minimum-samples rule, and no
 * state or timer once the window has fired.
 */
class SliWindowTest {
    static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void computesEverySliOfAWindowAndForgetsIt() throws Exception {
        try (var h = harness(20)) {
            for (int i = 0; i < 40; i++) {
                SliSample attempt = SliSample.forDevice("JP", "TV");
                attempt.attempts = 1;
                h.processElement(attempt, at(i).toEpochMilli());
                SliSample latency = SliSample.forDevice("JP", "TV");
                latency.licenseLatencyMs = 50 + i * 5; // 50..245 ms
                h.processElement(latency, at(i).toEpochMilli());
            }
            SliSample failed = SliSample.forDevice("JP", "TV");
            failed.startFailures = 1;
            h.processElement(failed, at(10).toEpochMilli());
            SliSample watch = SliSample.forDevice("JP", "TV");
            watch.playMs = 99_000;
            watch.rebufferMs = 1_000;
            h.processElement(watch, at(20).toEpochMilli());
            for (int i = 0; i < 25; i++) {
                SliSample seg = SliSample.forPop("JP", "nrt-1");
                seg.segments = 1;
                seg.cacheHits = i < 20 ? 1 : 0;
                h.processElement(seg, at(i).toEpochMilli());
            }
            assertThat(h.numKeyedStateEntries()).isPositive();

            h.processWatermark(new Watermark(at(60).toEpochMilli() - 1));
            Map<Sli, SloMetric> bySli =
                    h.extractOutputValues().stream()
                            .collect(Collectors.toMap(SloMetric::getSli, m -> m));
            assertThat(bySli.get(Sli.PLAYBACK_SUCCESS_RATE).getValue()).isEqualTo(1 - 1 / 40.0);
            assertThat(bySli.get(Sli.PLAYBACK_SUCCESS_RATE).getBreached()).isTrue();
            assertThat(bySli.get(Sli.VIDEO_START_FAILURES).getValue()).isEqualTo(1 / 40.0);
            assertThat(bySli.get(Sli.REBUFFERING_RATIO).getValue()).isEqualTo(0.01);
            assertThat(bySli.get(Sli.REBUFFERING_RATIO).getBreached())
                    .as("exactly at target is fine; and only 1 sample")
                    .isFalse();
            SloMetric p95 = bySli.get(Sli.LICENSE_LATENCY_P95_MS);
            assertThat(p95.getValue()).as("38th of 40 sorted; exact while n < k").isEqualTo(235.0);
            assertThat(p95.getTarget()).isEqualTo(100.0);
            assertThat(p95.getBreached()).isTrue();
            SloMetric cdn = bySli.get(Sli.CDN_CACHE_HIT_RATIO);
            assertThat(cdn.getValue()).isEqualTo(0.8);
            assertThat(cdn.getPop()).isEqualTo("nrt-1");
            assertThat(cdn.getDeviceClass()).isEqualTo("*");
            assertThat(cdn.getBreached()).isTrue();
            assertThat(cdn.getWindowStart()).isEqualTo(at(0));
            assertThat(cdn.getWindowEnd()).isEqualTo(at(60));

            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).as("window state cleared").isZero();
        }
    }

    @Test
    void aWindowWithFewSamplesIsReportedButNotBreached() throws Exception {
        try (var h = harness(20)) {
            SliSample attempt = SliSample.forDevice("IS", "MOBILE");
            attempt.attempts = 2;
            attempt.startFailures = 1;
            h.processElement(attempt, at(5).toEpochMilli());
            h.processWatermark(new Watermark(at(120).toEpochMilli()));
            List<SloMetric> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(SloMetric::getSli)
                    .containsExactlyInAnyOrder(Sli.PLAYBACK_SUCCESS_RATE, Sli.VIDEO_START_FAILURES);
            assertThat(out).allSatisfy(m -> assertThat(m.getBreached()).isFalse());
            assertThat(out).allSatisfy(m -> assertThat(m.getSamples()).isEqualTo(2));
        }
    }

    @SuppressWarnings("unchecked")
    static KeyedOneInputStreamOperatorTestHarness<String, SliSample, SloMetric> harness(
            long minSamples) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        DataStream<SliSample> samples =
                env.fromData(SliSample.forDevice("ZZ", "TV")).returns(SliSample.class);
        DataStream<SloMetric> metrics =
                samples.keyBy(SliSample::group)
                        .window(TumblingEventTimeWindows.of(MINUTE))
                        .aggregate(
                                new SliWindow.Sum(),
                                new SliWindow.Emit(SloTargets.defaults(), minSamples),
                                SliAccumulatorType.INSTANCE,
                                SliAccumulatorType.INSTANCE,
                                new AvroTypeInfo<>(SloMetric.class));
        var t = (OneInputTransformation<SliSample, SloMetric>) metrics.getTransformation();
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        t.getOperatorFactory(), SliSample::group, Types.STRING);
        h.open();
        return h;
    }

    static TypeInformation<SliSample> sampleType() {
        return TypeInformation.of(SliSample.class);
    }
}
