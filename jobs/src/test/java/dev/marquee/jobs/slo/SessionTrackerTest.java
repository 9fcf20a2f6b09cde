package dev.marquee.jobs.slo;

import static dev.marquee.jobs.slo.Plays.at;
import static dev.marquee.jobs.slo.Plays.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The per-session tracker through its harness: what each event contributes, start failures found by
 * the timer exactly at the deadline, one failure per session, and no state or timer left once a
 * session ends or goes silent.
 */
class SessionTrackerTest {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration SESSION_TIMEOUT = Duration.ofMinutes(30);
    static final Duration STATE_TTL = Duration.ofHours(2);

    @Test
    void aHealthySessionContributesAnAttemptPlayTimeRebuffersLatencyAndCacheHits()
            throws Exception {
        try (var h = harness()) {
            feed(h, event("s1", PlaybackEventType.START, at(0)));
            feed(h, Plays.license("s1", at(1), 80));
            feed(h, event("s1", PlaybackEventType.FIRST_FRAME, at(2)));
            feed(h, Plays.segment("s1", at(6), true));
            feed(h, event("s1", PlaybackEventType.REBUFFER_START, at(10)));
            feed(h, Plays.rebufferEnd("s1", at(12), 2000));
            feed(h, Plays.segment("s1", at(20), false));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).as("one timer per session").isEqualTo(1);
            feed(h, event("s1", PlaybackEventType.END, at(30)));

            List<SliSample> out = h.extractOutputValues();
            long attempts = out.stream().mapToLong(s -> s.attempts).sum();
            long playMs = out.stream().mapToLong(s -> s.playMs).sum();
            long rebufferMs = out.stream().mapToLong(s -> s.rebufferMs).sum();
            assertThat(attempts).isEqualTo(1);
            assertThat(playMs).as("2s..10s and 12s..30s playing").isEqualTo(8_000 + 18_000);
            assertThat(rebufferMs).isEqualTo(2_000);
            assertThat(out)
                    .filteredOn(s -> s.licenseLatencyMs >= 0)
                    .extracting(s -> s.licenseLatencyMs)
                    .containsExactly(80);
            assertThat(out)
                    .filteredOn(s -> s.pop != null)
                    .extracting(s -> s.group() + " " + s.segments + "/" + s.cacheHits)
                    .containsExactly("JP|*|nrt-1 1/1", "JP|*|nrt-1 1/0");
            assertThat(out).allMatch(s -> s.startFailures == 0 && s.playbackFailures == 0);

            assertThat(h.numKeyedStateEntries()).as("END clears the session").isZero();
            assertThat(h.numEventTimeTimers()).as("and its timer").isZero();
            assertThat(h.numProcessingTimeTimers()).as("and its TTL timer").isZero();
        }
    }

    @Test
    void aStartWithoutFirstFrameFailsExactlyAtTheDeadlineAndTheSessionIsForgottenWhenSilent()
            throws Exception {
        try (var h = harness()) {
            feed(h, event("s2", PlaybackEventType.START, at(0)));
            h.processWatermark(new Watermark(at(30).toEpochMilli() - 1));
            assertThat(failures(h.extractOutputValues())).as("not a millisecond early").isZero();
            h.processWatermark(new Watermark(at(30).toEpochMilli()));
            assertThat(failures(h.extractOutputValues())).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).as("re-armed for expiry").isEqualTo(1);

            h.processWatermark(new Watermark(at(0).plus(SESSION_TIMEOUT).toEpochMilli()));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).as("the TTL timer goes with it").isZero();
        }
    }

    @Test
    void aSessionNothingWroteToForTheStateTtlIsDroppedThoughTheWatermarkNeverMoved()
            throws Exception {
        long ttl = STATE_TTL.toMillis();
        long minute = Duration.ofMinutes(1).toMillis();
        try (var h = harness()) {
            h.setProcessingTime(0);
            feed(h, event("s9", PlaybackEventType.START, at(0)));
            feed(h, event("s9", PlaybackEventType.FIRST_FRAME, at(1)));
            assertThat(h.numProcessingTimeTimers()).as("one TTL timer per session").isEqualTo(1);

            h.setProcessingTime(ttl - minute);
            feed(h, Plays.segment("s9", at(30), true)); // written again a minute before the TTL
            h.setProcessingTime(ttl);
            assertThat(h.numKeyedStateEntries()).as("written within the TTL: kept").isEqualTo(1);
            assertThat(h.numProcessingTimeTimers()).as("re-armed from the last write").isEqualTo(1);

            h.setProcessingTime(2 * ttl - minute - 1);
            assertThat(h.numKeyedStateEntries()).as("not a millisecond early").isEqualTo(1);
            h.setProcessingTime(2 * ttl - minute);
            assertThat(h.numKeyedStateEntries()).as("the watermark never moved: dropped").isZero();
            assertThat(h.numEventTimeTimers()).as("its event-time timer too").isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aSessionFailsOnceOnItsFirstFatalError() throws Exception {
        try (var h = harness()) {
            feed(h, event("s3", PlaybackEventType.START, at(0)));
            feed(h, event("s3", PlaybackEventType.FIRST_FRAME, at(1)));
            PlaybackEvent recovered = event("s3", PlaybackEventType.ERROR, at(4));
            recovered.setPlayerState("p"); // the player carried on playing
            feed(h, recovered);
            feed(h, event("s3", PlaybackEventType.ERROR, at(5)));
            feed(h, event("s3", PlaybackEventType.ERROR, at(6)));
            feed(h, event("s4", PlaybackEventType.START, at(0)));
            feed(h, event("s4", PlaybackEventType.START_FAILURE, at(3)));
            h.processWatermark(new Watermark(at(120).toEpochMilli()));
            List<SliSample> out = h.extractOutputValues();
            assertThat(out.stream().mapToLong(s -> s.playbackFailures).sum()).isEqualTo(1);
            assertThat(out.stream().mapToLong(s -> s.startFailures).sum())
                    .as("s4's explicit failure; no second one from its timer")
                    .isEqualTo(1);
        }
    }

    @Test
    void eventsBehindTheWatermarkGoToTheLateOutputAndChangeNothing() throws Exception {
        try (var h = harness()) {
            h.processWatermark(new Watermark(at(60).toEpochMilli()));
            feed(h, event("s5", PlaybackEventType.START, at(10)));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(SessionTracker.LATE))
                    .extracting(r -> ((PlaybackEvent) r.getValue()).getSessionId())
                    .containsExactly("s5");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anEventUnderAKeyThatIsNotItsSessionLeavesUntrackedForReKeying() throws Exception {
        // Keyed by title instead of session, as a producer that ignores the contract would.
        try (var h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        SessionTracker.ofEvents(
                                START_TIMEOUT, SESSION_TIMEOUT, Duration.ofHours(2)),
                        PlaybackEvent::getContentId,
                        Types.STRING)) {
            feed(h, event("s6", PlaybackEventType.START, at(1)));
            assertThat(h.extractOutputValues()).as("not tracked under the wrong key").isEmpty();
            assertThat(h.getSideOutput(SessionTracker.MISKEYED))
                    .extracting(r -> ((PlaybackEvent) r.getValue()).getSessionId())
                    .containsExactly("s6");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static long failures(List<SliSample> out) {
        return out.stream().mapToLong(s -> s.startFailures).sum();
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, PlaybackEvent, SliSample> h,
            PlaybackEvent e)
            throws Exception {
        h.processElement(e, e.getAt().toEpochMilli());
    }

    static KeyedOneInputStreamOperatorTestHarness<String, PlaybackEvent, SliSample> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                SessionTracker.ofEvents(START_TIMEOUT, SESSION_TIMEOUT, STATE_TTL),
                PlaybackEvent::getSessionId,
                Types.STRING);
    }
}
