package dev.marquee.jobs.slo;

import static dev.marquee.jobs.slo.Metrics.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.AlertKind;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The alert lifecycle: one alert per condition however many times a detector repeats it, a recovery
 * that names it, signals applied in event-time order whatever order they arrive in, an alert on a
 * silent series closed for lack of data, and nothing kept once no alert is open.
 */
class AlertLifecycleTest {
    static final String KEY = "JP|TV|PLAYBACK_SUCCESS_RATE";
    static final Duration STALE = Duration.ofMinutes(30);

    static AlertSignal fire(int minute) {
        SloMetric m = success(minute, 0.9, 100);
        return AlertSignal.of(
                KEY,
                AlertSignal.Type.FIRE,
                AlertKind.SUSTAINED_BREACH,
                m.getWindowEnd().toEpochMilli(),
                SloKeys.draft(
                        AlertKind.SUSTAINED_BREACH,
                        m,
                        m.getWindowEnd(),
                        List.of(SloKeys.evidence(m)),
                        "breached"));
    }

    static AlertSignal clear(int minute) {
        SloMetric m = success(minute, 1.0, 100);
        return AlertSignal.of(
                KEY,
                AlertSignal.Type.CLEAR,
                AlertKind.SUSTAINED_BREACH,
                m.getWindowEnd().toEpochMilli(),
                SloKeys.draft(
                        AlertKind.RECOVERY,
                        m,
                        m.getWindowEnd(),
                        List.of(SloKeys.evidence(m)),
                        "healthy again"));
    }

    static AlertSignal heartbeat(int minute) {
        return AlertSignal.of(
                KEY,
                AlertSignal.Type.HEARTBEAT,
                null,
                success(minute, 1, 1).getWindowEnd().toEpochMilli(),
                null);
    }

    @Test
    void oneAlertPerConditionAndARecoveryThatNamesIt() throws Exception {
        try (var h = harness()) {
            send(h, fire(2));
            send(h, fire(5)); // the detector repeats itself during the same breach
            send(h, fire(8));
            send(h, clear(11));
            watermark(h, 20);
            List<SloAlert> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(SloAlert::getKind)
                    .containsExactly(AlertKind.SUSTAINED_BREACH, AlertKind.RECOVERY);
            SloAlert alert = out.get(0);
            assertThat(alert.getAlertId())
                    .isEqualTo("SUSTAINED_BREACH:" + KEY + ":" + success(2, 0, 0).getWindowStart());
            assertThat(out.get(1).getRecovers()).isEqualTo(alert.getAlertId());
            assertThat(out.get(1).getAlertId()).isEqualTo("RECOVERY:" + alert.getAlertId());
            assertThat(h.numKeyedStateEntries()).as("nothing open, nothing kept").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aRecoveryArrivingBeforeItsBreachIsStillAppliedAfterIt() throws Exception {
        try (var h = harness()) {
            send(h, clear(11));
            send(h, fire(5));
            watermark(h, 20);
            assertThat(h.extractOutputValues())
                    .extracting(SloAlert::getKind)
                    .containsExactly(AlertKind.SUSTAINED_BREACH, AlertKind.RECOVERY);
        }
    }

    @Test
    void aSilentSeriesClosesItsAlertForLackOfData() throws Exception {
        try (var h = harness()) {
            send(h, fire(5));
            watermark(h, 6);
            send(h, heartbeat(10));
            watermark(h, 6 + 30);
            assertThat(h.extractOutputValues()).hasSize(1).as("heartbeats keep it open");
            watermark(h, 11 + 30); // the heartbeat's window ended at minute 11
            List<SloAlert> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).getKind()).isEqualTo(AlertKind.RECOVERY);
            assertThat(out.get(1).getSummary()).contains("closed for lack of data");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, SloAlert> h, AlertSignal s)
            throws Exception {
        h.processElement(s, s.at - 1);
    }

    private static void watermark(
            KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, SloAlert> h, int minute)
            throws Exception {
        h.processWatermark(new Watermark(success(minute, 1, 1).getWindowStart().toEpochMilli()));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, SloAlert> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new AlertLifecycle(STALE), s -> s.key, Types.STRING);
    }
}
