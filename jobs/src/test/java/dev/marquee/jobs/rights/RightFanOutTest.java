package dev.marquee.jobs.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class RightFanOutTest {
    static final Instant ISSUED = Instant.parse("2026-11-20T08:00:00Z");

    static RightEvent right(
            long revision, RightStatus status, List<String> territory, List<String> excluded) {
        return RightEvent.newBuilder()
                .setRightId("r-1")
                .setContentId("c-1")
                .setRevision(revision)
                .setStatus(status)
                .setTerritory(territory)
                .setExcludedTerritory(excluded)
                .setWindowStart("2028-03-15")
                .setIssuedAt(ISSUED)
                .build();
    }

    @Test
    void fansOutPerCountryRevokesDroppedCountriesAndIgnoresOldRevisions() throws Exception {
        try (var harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new RightFanOut(), RightEvent::getRightId, Types.STRING)) {
            harness.processElement(right(1, RightStatus.ACTIVE, List.of("EU"), List.of("FR")), 1);
            List<RightEvent> first = harness.extractOutputValues();
            assertThat(first).hasSize(26).allSatisfy(r -> assertThat(r.getTerritory()).hasSize(1));
            assertThat(first)
                    .extracting(r -> r.getTerritory().get(0))
                    .contains("DE", "IT")
                    .doesNotContain("FR");

            harness.getOutput().clear();
            harness.processElement(right(2, RightStatus.ACTIVE, List.of("DE", "AT"), List.of()), 2);
            List<RightEvent> second = harness.extractOutputValues();
            assertThat(second)
                    .filteredOn(r -> r.getStatus() == RightStatus.ACTIVE)
                    .extracting(r -> r.getTerritory().get(0))
                    .containsExactlyInAnyOrder("DE", "AT");
            assertThat(second).filteredOn(r -> r.getStatus() == RightStatus.REVOKED).hasSize(24);

            harness.getOutput().clear();
            harness.processElement(right(1, RightStatus.ACTIVE, List.of("ZZ"), List.of()), 3);
            harness.processElement(right(2, RightStatus.ACTIVE, List.of("ZZ"), List.of()), 4);
            assertThat(harness.extractOutputValues())
                    .as("stale and duplicate revisions change nothing")
                    .isEmpty();
            assertThat(harness.getSideOutput(RightFanOut.IGNORED))
                    .extracting(StreamRecord::getValue)
                    .extracting(RightEvent::getRevision)
                    .containsExactly(1L, 2L);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
            assertThat(harness.getSideOutput(RightFanOut.AUDIT))
                    .extracting(StreamRecord::getValue)
                    .extracting(e -> e.kind + " r" + e.revision + ": " + e.detail)
                    .containsExactly(
                            "RIGHT_ACCEPTED r1: grants in 26 countries",
                            "RIGHT_REVISED r2: grants in AT,DE; before: 26 countries",
                            "STALE_REVISION_IGNORED r1: revision 1 arrived after revision 2: ignored",
                            "DUPLICATE_IGNORED r2: revision 2 seen again: idempotent duplicate");
        }
    }
}
