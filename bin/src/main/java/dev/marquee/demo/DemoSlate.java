package dev.marquee.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.io.AvroJson;
import dev.marquee.jobs.rightsintake.RightsIntakeTopology;
import dev.marquee.rights.RightValidator;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * The sample studio slate the demo replays (bin/src/main/resources/demo/): a morning of Pay-1
 * rights events (revisions, a revocation, rolling local-time windows, regions, a blackout), three
 * broken records and, separately, the next feed that moves event time on. It also says what the
 * rights-intake job should make of it, so the demo can check the job's output.
 */
public final class DemoSlate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> rights;
    private final List<String> laterRights;
    private final List<RightEvent> parsed;

    private DemoSlate(List<String> rights, List<String> laterRights) {
        this.rights = rights;
        this.laterRights = laterRights;
        this.parsed = new ArrayList<>();
        for (String line : rights) {
            GenericRecord generic = AvroJson.parse(line, RightEvent.getClassSchema());
            parsed.add(AvroJson.toSpecific(generic, RightEvent.class));
        }
    }

    public static DemoSlate load() throws IOException {
        return new DemoSlate(
                DemoCommand.resourceLines("rights-events.jsonl"),
                DemoCommand.resourceLines("rights-events-later.jsonl"));
    }

    /**
     * Short idleness (seconds, not a minute) so the demo shows results in seconds, yet longer than
     * a source on a busy machine takes from starting to its first fetch: a partition the job has
     * not read yet must not be taken for a quiet one.
     */
    public static RightsIntakeTopology.Settings intakeSettings() {
        return new RightsIntakeTopology.Settings(
                Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(3));
    }

    public List<String> rights() {
        return rights;
    }

    public List<String> laterRights() {
        return laterRights;
    }

    /** The slate's rights, parsed (malformed ones included). */
    public List<RightEvent> parsed() {
        return List.copyOf(parsed);
    }

    /** The later feed's rights, parsed. */
    public List<RightEvent> parsedLater() {
        return laterRights.stream()
                .map(
                        line ->
                                AvroJson.toSpecific(
                                        AvroJson.parse(line, RightEvent.getClassSchema()),
                                        RightEvent.class))
                .toList();
    }

    public String describe() {
        return rights.size()
                + " rights events ("
                + invalidRightIds().size()
                + " malformed on purpose), "
                + "1 record that is not Avro, then "
                + laterRights.size()
                + " from the next feed";
    }

    /** The records the job must dead-letter as INVALID. */
    public List<String> invalidRightIds() {
        return parsed.stream()
                .filter(r -> !RightValidator.problems(r).isEmpty())
                .map(RightEvent::getRightId)
                .toList();
    }

    /** How many undecodable records the demo sends. */
    public int undecodable() {
        return 1;
    }

    /**
     * Expected total per territory over the windows the later feed closes (everything in the first
     * slate: its hours end well before the later feed's watermark).
     */
    public Map<String, Long> expectedTotals() {
        Map<String, Long> totals = new TreeMap<>();
        for (RightEvent right : parsed) {
            if (RightValidator.problems(right).isEmpty()) {
                for (String territory : right.getTerritory()) {
                    totals.merge(territory, 1L, Long::sum);
                }
            }
        }
        return totals;
    }

    public long expectedRevoked() {
        return parsed.stream()
                .filter(
                        r ->
                                RightValidator.problems(r).isEmpty()
                                        && r.getStatus() == RightStatus.REVOKED)
                .mapToLong(r -> r.getTerritory().size())
                .sum();
    }

    /** The instant before which every window must have closed. */
    public Instant lastSlateInstant() {
        return parsed.stream().map(RightEvent::getIssuedAt).max(Instant::compareTo).orElseThrow();
    }

    static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
