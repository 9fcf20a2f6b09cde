package dev.marquee.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.AuditKind;
import dev.marquee.schema.RightsAuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {
    private static final Instant OPEN = Instant.parse("2028-03-15T00:00:00Z");

    private static List<RightsAuditRecord> chain(int length) {
        List<RightsAuditRecord> records = new ArrayList<>();
        String previous = null;
        for (int i = 1; i <= length; i++) {
            RightsAuditRecord r =
                    AuditChain.append(
                            "c-1",
                            i,
                            i == 1 ? AuditKind.RIGHT_ACCEPTED : AuditKind.TRANSITION,
                            "r-1",
                            1L,
                            i == 1 ? null : "JP",
                            "step " + i,
                            OPEN.plusSeconds(i),
                            previous);
            records.add(r);
            previous = r.getHash();
        }
        return records;
    }

    @Test
    void anUntouchedChainHolds() {
        var verdict = AuditChain.verify(chain(5));
        assertThat(verdict.intact()).isTrue();
        assertThat(verdict.checked()).isEqualTo(5);
        assertThat(chain(1).get(0).getPreviousHash()).isNull();
        assertThat(chain(1).get(0).getHash()).hasSize(64);
    }

    @Test
    void anEditedRecordBreaksTheChainAtThatRecord() {
        List<RightsAuditRecord> records = chain(5);
        records.get(2).setDetail("step 3, quietly changed");
        var verdict = AuditChain.verify(records);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.problem()).startsWith("c-1 #3: hash does not match its content");
    }

    @Test
    void aRemovedRecordIsFound() {
        List<RightsAuditRecord> records = chain(5);
        records.remove(1);
        var verdict = AuditChain.verify(records);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.problem()).contains("#3: expected sequence 2");
    }

    @Test
    void aRecordRehashedAfterAnEditStillBreaksTheNextLink() {
        List<RightsAuditRecord> records = chain(4);
        RightsAuditRecord forged = records.get(1);
        forged.setDetail("forged");
        forged.setHash(AuditChain.hash(forged));
        var verdict = AuditChain.verify(records);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.problem()).startsWith("c-1 #3: previousHash does not match");
    }

    @Test
    void separatorsInValuesCannotForgeAnotherRecord() {
        RightsAuditRecord a =
                AuditChain.append("c", 1, AuditKind.OTHER, "r\u001fx", null, null, "d", OPEN, null);
        RightsAuditRecord b =
                AuditChain.append("c", 1, AuditKind.OTHER, "r", null, null, "x\u001fd", OPEN, null);
        assertThat(a.getHash()).isNotEqualTo(b.getHash());
    }
}
