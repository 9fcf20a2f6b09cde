package dev.marquee.jobs.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.jobs.common.Loopback;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.RightsTransition;
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
        try (var harness = openHarness()) {
            harness.processElement(opened("JP", OPENS, true), OPENS.toEpochMilli());
            harness.processElement(opened("GB", OPENS, false), OPENS.toEpochMilli());
            harness.processWatermark(new Watermark(OPENS.toEpochMilli() - 1));
            assertThat(harness.extractOutputValues())
                    .as("not before event time gets there")
                    .isEmpty();
            harness.processWatermark(new Watermark(TEN_PAST.toEpochMilli()));
            List<RightsTransition> out = harness.extractOutputValues();
            assertThat(out)
                    .extracting(
                            t ->
                                    t.getTerritory()
                                            + " "
                                            + t.getKind()
                                            + " "
                                            + t.getAt()
                                            + " "
                                            + t.getRightId()
                                            + " "
                                            + t.getReason())
                    .containsExactlyInAnyOrder(
                            "JP OPENED 2028-03-15T00:00:00Z r-sony-1 rights.open (assets ready)",
                            "GB OPENED 2028-03-15T00:00:00Z r-sony-1 rights.open (assets pending)");
            assertThat(harness.numEventTimeTimers()).as("CEP keeps no timer once matched").isZero();
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
            assertThat(harness.numKeyedStateEntries())
                    .as("one readiness instant per title, none per territory")
                    .isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void readinessIsComparedInEventTimeNotArrivalOrder() throws Exception {
        try (var harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ReadinessTracker(), TitleSignal::key, Types.STRING)) {
            // The encode result arrives first but says the assets were done ten minutes after
            // the opening: the opening must still wait for them.
            harness.processElement(ready("*", TEN_PAST), TEN_PAST.toEpochMilli());
            harness.processElement(opened("JP", OPENS, false), OPENS.toEpochMilli());
            harness.processElement(
                    opened("GB", AN_HOUR_LATER, false), AN_HOUR_LATER.toEpochMilli());
            assertThat(harness.extractOutputValues())
                    .extracting(s -> s.kind + " " + s.territory + " " + s.assetsAlreadyReady)
                    .containsExactly(
                            "ASSETS_READY * false",
                            "WINDOW_OPENED JP false",
                            "WINDOW_OPENED GB true");
        }
    }

    private static List<SloAlert> timedOut(
            KeyedOneInputStreamOperatorTestHarness<String, TitleSignal, SloAlert> harness) {
        var side = harness.getSideOutput(WindowOpenPatterns.TIMED_OUT);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, TitleSignal, RightsTransition>
            openHarness() throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        KeyedStream<TitleSignal, String> keyed =
                env.fromData(opened("ZZ", OPENS, false))
                        .returns(TitleSignal.class)
                        .keyBy(TitleSignal::key);
        // windowOpens is the CEP operator's output united with late openings: test the CEP one.
        var union =
                (org.apache.flink.streaming.api.transformations.UnionTransformation<
                                RightsTransition>)
                        WindowOpenPatterns.windowOpens(keyed).getTransformation();
        var transformation =
                (OneInputTransformation<TitleSignal, RightsTransition>) union.getInputs().get(0);
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        transformation.getOperatorFactory(), TitleSignal::key, Types.STRING);
        harness.open();
        return harness;
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, TitleSignal, SloAlert> cepHarness(
            boolean opens) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        KeyedStream<TitleSignal, String> keyed =
                env.fromData(opened("ZZ", OPENS, false))
                        .returns(TitleSignal.class)
                        .keyBy(TitleSignal::key);
        DataStream<SloAlert> alerts =
                WindowOpenPatterns.propagationBreaches(keyed, WindowOpenPatterns.PROPAGATION_SLO);
        var transformation =
                (OneInputTransformation<TitleSignal, SloAlert>) alerts.getTransformation();
        KeyedOneInputStreamOperatorTestHarness<String, TitleSignal, SloAlert> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        transformation.getOperatorFactory(), TitleSignal::key, Types.STRING);
        harness.open();
        return harness;
    }
}
