package dev.marquee.jobs.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.io.DeadLetters;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.RightEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The known-content gate: rights for catalogued titles pass at once, others wait for their title
 * for the grace period and are then dead-lettered as unknown content; parked rights and the timer
 * are gone either way.
 */
class ContentGateTest {
    static final Instant ISSUED = Instant.parse("2026-11-20T08:00:00Z");
    static final Duration GRACE = Duration.ofDays(1);
    static final Instant GRACE_ENDS = ISSUED.plus(GRACE);

    static RightEvent right(String rightId, String contentId) {
        return RightEvent.newBuilder()
                .setRightId(rightId)
                .setContentId(contentId)
                .setTerritory(List.of("JP"))
                .setWindowStart("2028-03-15")
                .setIssuedAt(ISSUED)
                .build();
    }

    static CanonicalTitle title(String contentId) {
        return CanonicalTitle.newBuilder()
                .setContentId(contentId)
                .setVersion(1)
                .setUpdatedAt(ISSUED)
                .build();
    }

    @Test
    void knownTitlesPassParkedRightsAreReleasedWhenTheirTitleArrives() throws Exception {
        try (var harness = harness()) {
            harness.processElement2(new StreamRecord<>(title("c-known"), ISSUED.toEpochMilli()));
            harness.processElement1(
                    new StreamRecord<>(right("r-1", "c-known"), ISSUED.toEpochMilli()));
            assertThat(harness.extractOutputValues())
                    .extracting(RightEvent::getRightId)
                    .containsExactly("r-1");

            harness.processElement1(
                    new StreamRecord<>(right("r-2", "c-later"), ISSUED.toEpochMilli()));
            harness.processElement1(
                    new StreamRecord<>(right("r-3", "c-later"), ISSUED.toEpochMilli()));
            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.numEventTimeTimers())
                    .as("one grace timer per waiting title")
                    .isEqualTo(1);

            harness.processElement2(
                    new StreamRecord<>(title("c-later"), ISSUED.toEpochMilli() + 1000));
            assertThat(harness.extractOutputValues())
                    .extracting(RightEvent::getRightId)
                    .containsExactly("r-1", "r-2", "r-3");
            assertThat(harness.numEventTimeTimers())
                    .as("timer deleted once the title came")
                    .isZero();
            assertThat(harness.numKeyedStateEntries())
                    .as("only the two 'known' flags remain: parked rights and deadline cleared")
                    .isEqualTo(2);
            assertThat(letters(harness)).isEmpty();
        }
    }

    @Test
    void aRetiredTitleIsNoLongerKnownContent() throws Exception {
        try (var harness = harness()) {
            harness.processElement2(new StreamRecord<>(title("c-old"), ISSUED.toEpochMilli()));
            CanonicalTitle retired = title("c-old");
            retired.setStatus("RETIRED");
            harness.processElement2(new StreamRecord<>(retired, ISSUED.toEpochMilli() + 1));
            harness.processElement1(
                    new StreamRecord<>(right("r-5", "c-old"), ISSUED.toEpochMilli() + 2));
            assertThat(harness.extractOutputValues()).as("parked, not passed").isEmpty();
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void aTitleThatNeverComesDeadLettersItsRightsAtTheEndOfGrace() throws Exception {
        try (var harness = harness()) {
            harness.processElement1(
                    new StreamRecord<>(right("r-9", "c-nowhere"), ISSUED.toEpochMilli()));
            harness.processWatermark1(new Watermark(GRACE_ENDS.toEpochMilli() - 1));
            harness.processWatermark2(new Watermark(GRACE_ENDS.toEpochMilli() - 1));
            assertThat(letters(harness)).as("not before the grace ends").isEmpty();

            harness.processWatermark1(new Watermark(GRACE_ENDS.toEpochMilli()));
            harness.processWatermark2(new Watermark(GRACE_ENDS.toEpochMilli()));
            assertThat(letters(harness))
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getKey()).isEqualTo("r-9");
                                assertThat(d.getCategory())
                                        .isEqualTo(DeadLetterCategory.UNKNOWN_REFERENCE);
                                assertThat(d.getReason())
                                        .startsWith("contentId: unknown content 'c-nowhere'");
                            });
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numKeyedStateEntries())
                    .as("nothing kept for unknown content")
                    .isZero();
        }
    }

    private static List<DeadLetter> letters(
            KeyedTwoInputStreamOperatorTestHarness<String, RightEvent, CanonicalTitle, RightEvent>
                    harness) {
        var side = harness.getSideOutput(DeadLetters.tag());
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, RightEvent, CanonicalTitle, RightEvent>
            harness() throws Exception {
        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new ContentGate(GRACE, "test")),
                        RightEvent::getContentId,
                        CanonicalTitle::getContentId,
                        Types.STRING);
        harness.open();
        return harness;
    }
}
