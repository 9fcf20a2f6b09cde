package dev.marquee.jobs.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.AlertKind;
import dev.marquee.schema.SloAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The CEP patterns through the real CEP operators, and the readiness tracker through its own
 * harness: alerts are raised on event time, and partial matches and timers are gone afterwards.
 */
class WindowOpenPatternsTest {
    static final Instant OPENS = Instant.parse("2028-03-15T00:00:00Z");
    static final Instant TEN_PAST = OPENS.plus(Duration.ofMinutes(10));
    static final Instant DEADLINE = OPENS.plus(WindowOpenPatterns.PROPAGATION_SLO);
    static final Instant AN_HOUR_LATER = OPENS.plus(Duration.ofHours(1));

    static TitleSignal opened(String territory, Instant at, boolean assetsReady) {
        TitleSignal s =
                new TitleSignal(
                        "c-zelda",
                        territory,
                        TitleSignal.Kind.WINDOW_OPENED,
                        at.toEpochMilli(),
                        "r-sony-1");
        s.assetsAlreadyReady = assetsReady;
        return s;
    }

    static TitleSignal ready(String territory, Instant at) {
        return new TitleSignal(
                "c-zelda", territory, TitleSignal.Kind.ASSETS_READY, at.toEpochMilli(), null);
    }

    @Test
    void everyOpeningBecomesARightsOpenEvent() throws Exception {
        try (var harness = cepHarness(true)) {
            harness.processElement(opened("JP", OPENS, true), OPENS.toEpochMilli());
            harness.processWatermark(new Watermark(TEN_PAST.toEpochMilli()));
            List<SloAlert> out = harness.extractOutputValues();
            assertThat(out)
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.getKind()).isEqualTo(AlertKind.WINDOW_OPENED);
                                assertThat(a.getSummary())
                                        .isEqualTo(
                                                "rights.open: c-zelda opened in JP at 2028-03-15T00:00:00Z by r-sony-1");
                            });
        }
    }

    @Test
    void noAssetsWithinThirtyMinutesRaisesAPropagationBreachAtTheDeadline() throws Exception {
        try (var harness = cepHarness(false)) {
            harness.processElement(opened("JP", OPENS, false), OPENS.toEpochMilli());
            harness.processWatermark(new Watermark(TEN_PAST.toEpochMilli()));
            assertThat(timedOut(harness)).as("not before the deadline").isEmpty();
            harness.processWatermark(new Watermark(AN_HOUR_LATER.toEpochMilli()));
            assertThat(timedOut(harness))
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.getKind()).isEqualTo(AlertKind.PROPAGATION_BREACH);
                                assertThat(a.getRaisedAt()).isEqualTo(DEADLINE);
                                assertThat(a.getEvidence().get(0).getTarget()).isEqualTo(30.0);
                            });
            assertThat(harness.numEventTimeTimers()).as("no pending match left").isZero();
        }
    }

    @Test
    void assetsInTimeOrAlreadyThereRaiseNothing() throws Exception {
        try (var harness = cepHarness(false)) {
            harness.processElement(opened("JP", OPENS, false), OPENS.toEpochMilli());
            harness.processElement(ready("JP", TEN_PAST), TEN_PAST.toEpochMilli());
            harness.processElement(opened("US", OPENS, true), OPENS.toEpochMilli());
            harness.processWatermark(new Watermark(AN_HOUR_LATER.toEpochMilli()));
            assertThat(timedOut(harness)).isEmpty();
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theTrackerMarksOpeningsWhoseAssetsWereReadyBefore() throws Exception {
        try (var harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ReadinessTracker(), TitleSignal::key, Types.STRING)) {
            harness.processElement(opened("GB", OPENS, false), OPENS.toEpochMilli());
            harness.processElement(
                    ready("JP", OPENS.minus(Duration.ofDays(2))),
                    OPENS.minus(Duration.ofDays(2)).toEpochMilli());
            harness.processElement(opened("JP", OPENS, false), OPENS.toEpochMilli());
            List<TitleSignal> out = harness.extractOutputValues();
            assertThat(out)
                    .extracting(s -> s.kind + " " + s.territory + " " + s.assetsAlreadyReady)
                    .containsExactly(
                            "WINDOW_OPENED GB false",
                            "ASSETS_READY JP false",
                            "WINDOW_OPENED JP true");
            assertThat(harness.numKeyedStateEntries()).as("only JP's flag is kept").isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    private static List<SloAlert> timedOut(
            KeyedOneInputStreamOperatorTestHarness<String, TitleSignal, SloAlert> harness) {
        var side = harness.getSideOutput(WindowOpenPatterns.TIMED_OUT);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, TitleSignal, SloAlert> cepHarness(
            boolean opens) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KeyedStream<TitleSignal, String> keyed =
                env.fromData(opened("ZZ", OPENS, false))
                        .returns(TitleSignal.class)
                        .keyBy(TitleSignal::key);
        DataStream<SloAlert> alerts =
                opens
                        ? WindowOpenPatterns.windowOpens(keyed)
                        : WindowOpenPatterns.propagationBreaches(
                                keyed, WindowOpenPatterns.PROPAGATION_SLO);
        var transformation =
                (OneInputTransformation<TitleSignal, SloAlert>) alerts.getTransformation();
        KeyedOneInputStreamOperatorTestHarness<String, TitleSignal, SloAlert> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        transformation.getOperatorFactory(), TitleSignal::key, Types.STRING);
        harness.open();
        return harness;
    }
}
