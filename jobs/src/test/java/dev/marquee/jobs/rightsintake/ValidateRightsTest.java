package dev.marquee.jobs.rightsintake;

import static dev.marquee.jobs.rightsintake.RightsFixtures.NINE_AM;
import static dev.marquee.jobs.rightsintake.RightsFixtures.NINE_THIRTY;
import static dev.marquee.jobs.rightsintake.RightsFixtures.TEN_AM;
import static dev.marquee.jobs.rightsintake.RightsFixtures.broken;
import static dev.marquee.jobs.rightsintake.RightsFixtures.pay1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.io.DeadLetters;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.RightEvent;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ValidateRightsTest {

    @Test
    void passesAWellFormedRight() throws Exception {
        try (OneInputStreamOperatorTestHarness<RightEvent, RightEvent> harness = harness()) {
            harness.processElement(pay1("r-1", NINE_AM), NINE_AM.toEpochMilli());
            assertThat(harness.extractOutputValues())
                    .extracting(RightEvent::getRightId)
                    .containsExactly("r-1");
            assertThat(harness.getSideOutput(DeadLetters.tag())).isNull();
        }
    }

    @Test
    void deadLettersABrokenRightWithEveryProblemNamed() throws Exception {
        try (OneInputStreamOperatorTestHarness<RightEvent, RightEvent> harness = harness()) {
            harness.processElement(broken("r-bad", NINE_AM), NINE_AM.toEpochMilli());
            assertThat(harness.extractOutputValues()).isEmpty();
            List<DeadLetter> letters = deadLetters(harness);
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter.getCategory()).isEqualTo(DeadLetterCategory.INVALID);
            assertThat(letter.getKey()).isEqualTo("r-bad");
            assertThat(letter.getSourceTopic()).isEqualTo("rights.events");
            assertThat(letter.getReason())
                    .contains("territory: unknown territory code 'XX'")
                    .contains("windowEnd: ends before it starts");
            assertThat(letter.getPayloadJson()).contains("r-bad");
        }
    }

    @Test
    void deadLettersARightBehindTheWatermarkAsLate() throws Exception {
        try (OneInputStreamOperatorTestHarness<RightEvent, RightEvent> harness = harness()) {
            harness.processWatermark(new Watermark(TEN_AM.toEpochMilli()));
            harness.processElement(pay1("r-late", NINE_THIRTY), NINE_THIRTY.toEpochMilli());
            assertThat(harness.extractOutputValues()).isEmpty();
            List<DeadLetter> letters = deadLetters(harness);
            assertThat(letters)
                    .extracting(DeadLetter::getCategory)
                    .containsExactly(DeadLetterCategory.LATE);
            assertThat(letters.get(0).getReason())
                    .contains("behind the watermark 2026-11-25T10:00:00Z");
        }
    }

    private static OneInputStreamOperatorTestHarness<RightEvent, RightEvent> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new ValidateRights());
    }

    private static List<DeadLetter> deadLetters(
            OneInputStreamOperatorTestHarness<RightEvent, RightEvent> harness) {
        var side = harness.getSideOutput(DeadLetters.tag());
        return side == null
                ? List.of()
                : side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }
}
