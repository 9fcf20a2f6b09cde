package dev.marquee.jobs.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The local pre-aggregation through its harness: sums per group and window come out when the
 * watermark closes the window (before the watermark itself), or before a checkpoint barrier, with
 * the window's last millisecond as timestamp; late samples pass through; nothing is held after.
 */
class SliPreAggregatorTest {
    static final Instant MINUTE_0 = Instant.parse("2026-11-20T11:00:00Z");
    static final Instant MINUTE_1 = MINUTE_0.plus(Duration.ofMinutes(1));
    static final long LAST_MS_OF_MINUTE_0 = MINUTE_1.toEpochMilli() - 1;

    static SliSample attempt(String territory) {
        SliSample s = SliSample.forDevice(territory, "TV");
        s.attempts = 1;
        return s;
    }

    static SliSample latency(String territory, int ms) {
        SliSample s = SliSample.forDevice(territory, "TV");
        s.licenseLatencyMs = ms;
        return s;
    }

    static SliSample played(String territory, long ms) {
        SliSample s = SliSample.forDevice(territory, "TV");
        s.playMs = ms;
        return s;
    }

    @Test
    void sumsPerGroupAndWindowLeaveWhenTheWatermarkClosesTheWindow() throws Exception {
        SliPreAggregator operator = new SliPreAggregator(Duration.ofMinutes(1));
        try (var h = new OneInputStreamOperatorTestHarness<>(operator)) {
            h.open();
            long t = MINUTE_0.toEpochMilli();
            h.processElement(attempt("JP"), t + 1_000);
            h.processElement(attempt("JP"), t + 2_000);
            h.processElement(latency("JP", 80), t + 3_000);
            h.processElement(latency("JP", 120), t + 4_000);
            h.processElement(played("JP", 5_000), t + 5_000);
            h.processElement(played("JP", 7_000), t + 6_000);
            h.processElement(attempt("FR"), t + 7_000);
            h.processElement(attempt("JP"), MINUTE_1.toEpochMilli() + 1_000); // next window
            assertThat(h.getOutput()).as("nothing before the window closes").isEmpty();

            h.processWatermark(new Watermark(LAST_MS_OF_MINUTE_0 - 1));
            assertThat(h.extractOutputValues()).as("not a millisecond early").isEmpty();

            h.processWatermark(new Watermark(LAST_MS_OF_MINUTE_0));
            List<Object> out = List.copyOf(h.getOutput());
            assertThat(out).hasSize(4); // JP sum, FR sum, and the two watermarks
            assertThat(out.get(out.size() - 1))
                    .as("the sums precede the watermark that closes their window")
                    .isInstanceOf(Watermark.class);
            List<SliSample> sums = h.extractOutputValues();
            SliSample jp = sums.stream().filter(s -> s.territory.equals("JP")).findFirst().get();
            assertThat(jp.attempts).isEqualTo(2);
            assertThat(jp.latencies()).containsExactlyInAnyOrder(80, 120);
            assertThat(jp.playMs).isEqualTo(12_000);
            assertThat(jp.watchSamples).isEqualTo(2);
            assertThat(h.extractOutputStreamRecords())
                    .extracting(StreamRecord::getTimestamp)
                    .containsOnly(LAST_MS_OF_MINUTE_0);
            assertThat(operator.held()).as("the next window's sample is still held").isEqualTo(1);

            // A checkpoint barrier flushes what is held, so no state is ever needed.
            h.prepareSnapshotPreBarrier(1);
            assertThat(operator.held()).isZero();
            assertThat(h.extractOutputValues()).hasSize(3);
        }
    }

    @Test
    void aSampleBehindTheWatermarkPassesThroughForTheWindowToTreatAsLate() throws Exception {
        SliPreAggregator operator = new SliPreAggregator(Duration.ofMinutes(1));
        try (var h = new OneInputStreamOperatorTestHarness<>(operator)) {
            h.open();
            h.processWatermark(new Watermark(MINUTE_1.toEpochMilli()));
            h.processElement(attempt("JP"), MINUTE_0.toEpochMilli() + 10);
            assertThat(h.extractOutputStreamRecords())
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r.getTimestamp())
                                            .isEqualTo(MINUTE_0.toEpochMilli() + 10));
            assertThat(operator.held()).isZero();
        }
    }

    @Test
    void theWindowResultIsTheSameWithOrWithoutPreAggregation() {
        SliAccumulator direct = new SliAccumulator();
        SliSample sum = attempt("JP").emptyOfGroup();
        List<SliSample> samples =
                List.of(
                        attempt("JP"),
                        latency("JP", 95),
                        latency("JP", 130),
                        played("JP", 4_000),
                        played("JP", 1_000));
        for (SliSample s : samples) {
            direct.add(s);
            sum.merge(s);
        }
        SliAccumulator viaSum = new SliAccumulator();
        viaSum.add(sum);
        assertThat(viaSum.attempts).isEqualTo(direct.attempts);
        assertThat(viaSum.playMs).isEqualTo(direct.playMs);
        assertThat(viaSum.watchSamples).isEqualTo(direct.watchSamples);
        assertThat(viaSum.latencyCount()).isEqualTo(direct.latencyCount());
        assertThat(viaSum.latencyQuantile(0.95)).isEqualTo(direct.latencyQuantile(0.95));
    }
}
