package dev.marquee.jobs.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.rights.AuditChain;
import dev.marquee.schema.AuditKind;
import dev.marquee.schema.RightsAuditRecord;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Each title's audit entries become one numbered SHA-256 chain that {@code verify} accepts. */
class AuditChainerTest {
    static final long T0 = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();

    static AuditEntry entry(String contentId, AuditKind kind, String detail) {
        return new AuditEntry(contentId, kind, "r-1", 1L, null, detail, T0);
    }

    @Test
    void chainsEachTitleSeparatelyAndTheChainsVerify() throws Exception {
        try (var harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new AuditChainer(), (AuditEntry e) -> e.contentId, Types.STRING)) {
            harness.processElement(entry("c-a", AuditKind.RIGHT_ACCEPTED, "grants in JP"), T0);
            harness.processElement(entry("c-b", AuditKind.RIGHT_ACCEPTED, "grants in US"), T0);
            harness.processElement(entry("c-a", AuditKind.TRANSITION, "OPENED"), T0 + 1);
            harness.processElement(entry("c-a", AuditKind.TRANSITION, "CLOSED"), T0 + 2);
            List<RightsAuditRecord> out = harness.extractOutputValues();
            List<RightsAuditRecord> a =
                    out.stream().filter(r -> r.getContentId().equals("c-a")).toList();
            assertThat(a).extracting(RightsAuditRecord::getSequence).containsExactly(1L, 2L, 3L);
            assertThat(a.get(0).getPreviousHash()).isNull();
            assertThat(a.get(1).getPreviousHash()).isEqualTo(a.get(0).getHash());
            assertThat(a.get(2).getPreviousHash()).isEqualTo(a.get(1).getHash());
            assertThat(AuditChain.verify(a).intact()).isTrue();
            assertThat(
                            out.stream()
                                    .filter(r -> r.getContentId().equals("c-b"))
                                    .map(RightsAuditRecord::getSequence))
                    .containsExactly(1L);
            assertThat(harness.numKeyedStateEntries())
                    .as("a hash and a sequence per title, nothing per record")
                    .isEqualTo(4);
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }
}
