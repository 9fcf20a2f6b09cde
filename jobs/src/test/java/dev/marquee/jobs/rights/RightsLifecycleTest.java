package dev.marquee.jobs.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.Availability;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightException;
import dev.marquee.schema.RightStatus;
import dev.marquee.schema.RightsTransition;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The per-(title, country) lifecycle through its harness: timers sit exactly on the window's
 * boundaries, transitions come out when event time reaches them, and the key's state and timer are
 * gone once nothing can change any more.
 */
class RightsLifecycleTest {
    static final Instant ISSUED = Instant.parse("2026-11-20T08:00:00Z");
    static final Instant OPENS = Instant.parse("2028-03-15T00:00:00Z");
    static final Instant CLOSES = Instant.parse("2031-03-15T00:00:00Z");
    static final Instant EMBARGO_START = Instant.parse("2029-01-01T00:00:00Z");
    static final Instant EMBARGO_END = Instant.parse("2029-01-08T00:00:00Z");
    static final String KEY = "c-zelda|JP";

    static RightEvent pay1(long revision, RightStatus status) {
        return RightEvent.newBuilder()
                .setRightId("r-sony-1")
                .setContentId("c-zelda")
                .setRevision(revision)
                .setStatus(status)
                .setTerritory(List.of("JP"))
                .setWindowStart(OPENS.toString())
                .setWindowEnd(CLOSES.toString())
                .setIssuedAt(ISSUED)
                .build();
    }

    @Test
    void opensAndClosesExactlyOnTimeAndThenForgetsTheKey() throws Exception {
        try (var harness = harness()) {
            harness.processElement(pay1(1, RightStatus.ACTIVE), ISSUED.toEpochMilli());
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(availability(harness))
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.getAvailable()).isFalse();
                                assertThat(a.getUntil()).isEqualTo(OPENS);
                            });
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);

            harness.processWatermark(new Watermark(OPENS.toEpochMilli() - 1));
            assertThat(harness.extractOutputValues()).as("not a millisecond early").isEmpty();
            harness.processWatermark(new Watermark(OPENS.toEpochMilli()));
            assertThat(harness.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            t -> {
                                assertThat(t.getKind().name()).isEqualTo("OPENED");
                                assertThat(t.getAt()).isEqualTo(OPENS);
                                assertThat(t.getRightId()).isEqualTo("r-sony-1");
                            });

            harness.processWatermark(new Watermark(CLOSES.toEpochMilli()));
            assertThat(harness.extractOutputValues())
                    .extracting(t -> t.getKind().name() + "@" + t.getAt())
                    .containsExactly("OPENED@" + OPENS, "CLOSED@" + CLOSES);
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numKeyedStateEntries())
                    .as("state cleared after the final close")
                    .isZero();
        }
    }

    @Test
    void anEmbargoSuspendsAndResumes() throws Exception {
        try (var harness = harness()) {
            RightEvent right = pay1(1, RightStatus.ACTIVE);
            right.setExceptions(
                    List.of(
                            RightException.newBuilder()
                                    .setType("embargo")
                                    .setStart(EMBARGO_START.toString())
                                    .setEnd(EMBARGO_END.toString())
                                    .build()));
            harness.processElement(right, ISSUED.toEpochMilli());
            harness.processWatermark(
                    new Watermark(Instant.parse("2029-06-01T00:00:00Z").toEpochMilli()));
            assertThat(harness.extractOutputValues())
                    .extracting(t -> t.getKind().name() + "@" + t.getAt())
                    .containsExactly(
                            "OPENED@" + OPENS,
                            "SUSPENDED@" + EMBARGO_START,
                            "RESUMED@" + EMBARGO_END);
            assertThat(harness.numEventTimeTimers()).as("only the close is pending").isEqualTo(1);
        }
    }

    @Test
    void aRevocationClosesAnOpenWindowAtOnceAndClearsTheKey() throws Exception {
        try (var harness = harness()) {
            harness.processElement(pay1(1, RightStatus.ACTIVE), ISSUED.toEpochMilli());
            harness.processWatermark(
                    new Watermark(Instant.parse("2029-02-01T00:00:00Z").toEpochMilli()));
            Instant revokedAt = Instant.parse("2029-02-01T12:00:00Z");
            harness.processElement(pay1(2, RightStatus.REVOKED), revokedAt.toEpochMilli());
            assertThat(harness.extractOutputValues())
                    .extracting(t -> t.getKind().name() + "@" + t.getAt())
                    .containsExactly("OPENED@" + OPENS, "CLOSED@" + revokedAt);
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    private static List<Availability> availability(
            KeyedOneInputStreamOperatorTestHarness<String, RightEvent, RightsTransition> harness) {
        var side = harness.getSideOutput(RightsLifecycle.AVAILABILITY);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RightEvent, RightsTransition>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new RightsLifecycle(),
                r -> r.getContentId() + "|" + r.getTerritory().get(0),
                Types.STRING);
    }
}
