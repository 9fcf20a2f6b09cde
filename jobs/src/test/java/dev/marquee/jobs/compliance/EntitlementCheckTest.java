package dev.marquee.jobs.compliance;

import static dev.marquee.jobs.compliance.Availabilities.start;
import static dev.marquee.jobs.compliance.Availabilities.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.Availability;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.ViolationReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The availability join through its harness: plays are judged against the version in force at their
 * own instant (not the latest), only once the watermark has passed them; formats are checked; old
 * versions are pruned and a closed title's state and timers disappear.
 */
class EntitlementCheckTest {
    static final Instant ISSUED = Instant.parse("2028-03-01T00:00:00Z");
    static final Instant OPENS = Instant.parse("2028-03-15T00:00:00Z");
    static final Instant CLOSES = Instant.parse("2028-06-15T00:00:00Z");
    static final Duration RETENTION = Duration.ofHours(6);

    @Test
    void judgesEachPlayAtItsOwnInstantOnceTheWatermarkPassesIt() throws Exception {
        try (var h = harness()) {
            avail(h, version(ISSUED, false, OPENS, "r-sony-1", List.of()));
            // A play ten minutes before the opening arrives after the opening is known.
            avail(h, version(OPENS, true, CLOSES, "r-sony-1", List.of("HD")));
            play(h, start("early", OPENS.minusSeconds(600), "HD"));
            play(h, start("ok", OPENS.plusSeconds(60), "HD"));
            play(h, start("uhd", OPENS.plusSeconds(120), "UHD"));
            play(h, start("sd", OPENS.plusSeconds(180), "SD"));
            assertThat(h.extractOutputValues()).as("nothing before the watermark").isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(4);

            h.processBothWatermarks(new Watermark(OPENS.plusSeconds(3600).toEpochMilli()));
            List<ComplianceViolation> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(v -> v.getSessionId() + " " + v.getReason())
                    .containsExactly("early WINDOW_CLOSED", "uhd FORMAT_NOT_LICENSED");
            assertThat(out.get(0).getMissing())
                    .isEqualTo(
                            "no active right for c-zelda in JP at 2028-03-14T23:50:00Z:"
                                    + " r-sony-1 is not in its window (unavailable since"
                                    + " 2028-03-01T00:00:00Z, until 2028-03-15T00:00:00Z)");
            assertThat(out.get(1).getFormatProfile()).isEqualTo("UHD");
            assertThat(out.get(1).getLastRightId()).isEqualTo("r-sony-1");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aTitleWithNoRightAtAllIsANoRightViolation() throws Exception {
        try (var h = harness()) {
            play(h, start("pirate", OPENS, null));
            h.processBothWatermarks(new Watermark(OPENS.plusSeconds(1).toEpochMilli()));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            v -> {
                                assertThat(v.getReason()).isEqualTo(ViolationReason.NO_RIGHT);
                                assertThat(v.getMissing())
                                        .startsWith(
                                                "no active right for c-zelda in JP at"
                                                        + " 2028-03-15T00:00:00Z");
                            });
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void pastItsUntilWithNoNewerVersionTheWindowIsClosed() throws Exception {
        try (var h = harness()) {
            avail(h, version(OPENS, true, CLOSES, "r-sony-1", List.of()));
            play(h, start("after", CLOSES.plusSeconds(1), "HD"));
            h.processBothWatermarks(new Watermark(CLOSES.plusSeconds(2).toEpochMilli()));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            v ->
                                    assertThat(v.getReason())
                                            .isEqualTo(ViolationReason.WINDOW_CLOSED));
        }
    }

    @Test
    void aLatePlayIsJudgedWhileItsHistoryIsKeptAndDeadLetteredAfter() throws Exception {
        try (var h = harness()) {
            avail(h, version(ISSUED, false, OPENS, "r-sony-1", List.of()));
            avail(h, version(OPENS, true, null, "r-sony-1", List.of()));
            h.processBothWatermarks(new Watermark(OPENS.plusSeconds(3600).toEpochMilli()));
            play(h, start("late-but-kept", OPENS.minusSeconds(60), null));
            assertThat(h.extractOutputValues())
                    .extracting(ComplianceViolation::getSessionId)
                    .containsExactly("late-but-kept");
            h.processBothWatermarks(new Watermark(OPENS.plus(Duration.ofDays(1)).toEpochMilli()));
            // The next version prunes what came before the one in force a retention ago.
            avail(h, version(OPENS.plus(Duration.ofDays(2)), true, null, "r-sony-2", List.of()));
            play(h, start("too-late", OPENS.minusSeconds(60), null));
            assertThat(h.extractOutputValues()).as("the ISSUED version is pruned").hasSize(1);
            play(h, start("late-after-opening", OPENS.plusSeconds(60), "UHD"));
            assertThat(h.extractOutputValues())
                    .as("after the pruned part the history is complete: judged")
                    .hasSize(1);
            assertThat(h.getSideOutput(EntitlementCheck.LATE))
                    .extracting(r -> ((PlaybackEvent) r.getValue()).getSessionId())
                    .containsExactly("too-late");
        }
    }

    @Test
    void supersededVersionsArePrunedAndAClosedTitleKeepsOnlyItsFinalVersion() throws Exception {
        try (var h = harness()) {
            avail(h, version(ISSUED, false, OPENS, "r-sony-1", List.of()));
            avail(h, version(OPENS, true, CLOSES, "r-sony-1", List.of()));
            avail(h, version(CLOSES, false, null, "r-sony-1", List.of()));
            assertThat(h.numKeyedStateEntries()).as("versions and the drop instant").isEqualTo(2);
            h.processBothWatermarks(new Watermark(CLOSES.plus(RETENTION).toEpochMilli() - 1));
            assertThat(h.numEventTimeTimers()).as("the drop timer").isEqualTo(1);
            h.processBothWatermarks(new Watermark(CLOSES.plus(RETENTION).toEpochMilli()));
            assertThat(h.numKeyedStateEntries())
                    .as("the final version and where the pruned history ends")
                    .isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isZero();

            // Long after, plays arrive late: after the close still WINDOW_CLOSED with the right
            // that was missing; during the window LATE (its history is gone), never NO_RIGHT.
            h.processBothWatermarks(
                    new Watermark(CLOSES.plus(Duration.ofDays(400)).toEpochMilli()));
            play(h, start("after-close", CLOSES.plusSeconds(60), null));
            play(h, start("in-window", OPENS.plusSeconds(60), null));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            v -> {
                                assertThat(v.getSessionId()).isEqualTo("after-close");
                                assertThat(v.getReason()).isEqualTo(ViolationReason.WINDOW_CLOSED);
                                assertThat(v.getLastRightId()).isEqualTo("r-sony-1");
                            });
            assertThat(h.getSideOutput(EntitlementCheck.LATE))
                    .extracting(r -> ((PlaybackEvent) r.getValue()).getSessionId())
                    .containsExactly("in-window");
        }
    }

    private static void avail(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, PlaybackEvent, Availability, ComplianceViolation>
                    h,
            Availability a)
            throws Exception {
        h.processElement2(a, a.getEffectiveFrom().toEpochMilli());
    }

    private static void play(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, PlaybackEvent, Availability, ComplianceViolation>
                    h,
            PlaybackEvent e)
            throws Exception {
        h.processElement1(e, e.getAt().toEpochMilli());
    }

    static KeyedTwoInputStreamOperatorTestHarness<
                    String, PlaybackEvent, Availability, ComplianceViolation>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new EntitlementCheck(RETENTION),
                e -> e.getContentId() + "|" + e.getTerritory(),
                a -> a.getContentId() + "|" + a.getTerritory(),
                Types.STRING);
    }
}
