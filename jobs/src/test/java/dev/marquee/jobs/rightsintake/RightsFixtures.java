package dev.marquee.jobs.rightsintake;

import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import java.time.Instant;
import java.util.List;

/** Named rights and instants for the rights-intake tests, in the style of flink-training. */
final class RightsFixtures {
    private RightsFixtures() {}

    static final Instant NINE_AM = Instant.parse("2026-11-25T09:00:00Z");
    static final Instant NINE_THIRTY = Instant.parse("2026-11-25T09:30:00Z");
    static final Instant TEN_AM = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant TEN_FIFTEEN = Instant.parse("2026-11-25T10:15:00Z");

    /** The article's exclusive Pay-1 window for US, GB and JP, 2028-2031. */
    static RightEvent pay1(String rightId, Instant issuedAt) {
        return RightEvent.newBuilder()
                .setRightId(rightId)
                .setContentId("eidr:10.5240/7791-8534-2C23-9030-8610-5")
                .setRevision(1)
                .setStatus(RightStatus.ACTIVE)
                .setTerritory(List.of("US", "GB", "JP"))
                .setWindowStart("2028-03-15T00:00:00Z")
                .setWindowEnd("2031-03-15T00:00:00Z")
                .setExclusivity("pay-1")
                .setIssuedAt(issuedAt)
                .build();
    }

    static RightEvent revoked(String rightId, Instant issuedAt) {
        RightEvent right = pay1(rightId, issuedAt);
        right.setStatus(RightStatus.REVOKED);
        right.setRevision(2);
        return right;
    }

    /** Ends before it starts and names a territory that does not exist. */
    static RightEvent broken(String rightId, Instant issuedAt) {
        RightEvent right = pay1(rightId, issuedAt);
        right.setTerritory(List.of("US", "XX"));
        right.setWindowEnd("2027-01-01T00:00:00Z");
        return right;
    }
}
