package dev.marquee.rights;

import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightException;
import dev.marquee.schema.RightStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A small builder for rights in tests. */
final class Rights {
    private final RightEvent.Builder b =
            RightEvent.newBuilder()
                    .setRevision(1)
                    .setStatus(RightStatus.ACTIVE)
                    .setExcludedTerritory(new ArrayList<>())
                    .setFormatProfiles(new ArrayList<>())
                    .setWindowEnd(null)
                    .setIssuedAt(Instant.EPOCH);
    private final List<RightException> exceptions = new ArrayList<>();

    static Rights right(String rightId, String contentId, String start, String... territories) {
        Rights r = new Rights();
        r.b.setRightId(rightId)
                .setContentId(contentId)
                .setWindowStart(start)
                .setTerritory(List.of(territories));
        return r;
    }

    Rights end(String end) {
        b.setWindowEnd(end);
        return this;
    }

    Rights revision(long revision) {
        b.setRevision(revision);
        return this;
    }

    Rights revoked() {
        b.setStatus(RightStatus.REVOKED);
        return this;
    }

    Rights excluding(String... territories) {
        b.setExcludedTerritory(List.of(territories));
        return this;
    }

    Rights exception(String type, String start, String end, String... territories) {
        exceptions.add(
                RightException.newBuilder()
                        .setType(type)
                        .setStart(start)
                        .setEnd(end)
                        .setTerritory(List.of(territories))
                        .build());
        return this;
    }

    RightEvent build() {
        return b.setExceptions(new ArrayList<>(exceptions)).build();
    }
}
