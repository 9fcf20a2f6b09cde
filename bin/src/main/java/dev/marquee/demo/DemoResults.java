package dev.marquee.demo;

import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.rightsintake.RightsIntakeTopology;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.TerritoryRightsCount;
import dev.marquee.topics.Topic;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the job wrote, read back from Kafka with read_committed (only committed transactions), and
 * compared with what the slate says it should have written.
 */
public final class DemoResults {
    private final List<TerritoryRightsCount> counts;
    private final List<DeadLetter> deadLetters;
    private final List<String> failures = new ArrayList<>();
    private final DemoSlate slate;

    private DemoResults(
            DemoSlate slate, List<TerritoryRightsCount> counts, List<DeadLetter> deadLetters) {
        this.slate = slate;
        this.counts = counts;
        this.deadLetters = deadLetters;
        compare();
    }

    public static DemoResults await(
            TopicClients clients, DemoSlate slate, Duration timeout, PrintStream out)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long expectedTotal =
                slate.expectedTotals().values().stream().mapToLong(Long::longValue).sum();
        int expectedLetters = slate.invalidRightIds().size() + slate.undecodable();
        List<TerritoryRightsCount> counts = List.of();
        List<DeadLetter> letters = List.of();
        while (System.nanoTime() < deadline) {
            counts =
                    readAll(
                            clients,
                            Topic.RIGHTS_INTAKE_COUNTS.topicName(),
                            TerritoryRightsCount.class);
            // Other jobs read rights.events too and share its DLQ: keep this job's letters.
            letters =
                    readAll(clients, Topic.RIGHTS_EVENTS.dlqName(), DeadLetter.class).stream()
                            .filter(d -> RightsIntakeTopology.JOB.equals(d.getJob()))
                            .toList();
            long total =
                    counts.stream()
                            .filter(
                                    c ->
                                            !c.getWindowEnd()
                                                    .isAfter(
                                                            slate.lastSlateInstant()
                                                                    .plus(Duration.ofHours(1))))
                            .mapToLong(TerritoryRightsCount::getTotal)
                            .sum();
            out.printf(
                    "\r      counted %d/%d territory events, %d/%d dead letters   ",
                    total, expectedTotal, letters.size(), expectedLetters);
            out.flush();
            if (total >= expectedTotal && letters.size() >= expectedLetters) {
                break;
            }
            Thread.sleep(1000);
        }
        out.println();
        return new DemoResults(slate, counts, letters);
    }

    static <T extends SpecificRecord> List<T> readAll(
            TopicClients clients, String topic, Class<T> type) throws Exception {
        return clients.readAll(topic, type);
    }

    private void compare() {
        Map<String, Long> actual = totalsPerTerritory();
        Map<String, Long> expected = slate.expectedTotals();
        expected.forEach(
                (territory, total) -> {
                    if (!total.equals(actual.get(territory))) {
                        failures.add(
                                "rights.intake.counts: "
                                        + territory
                                        + " counted "
                                        + actual.get(territory)
                                        + ", expected "
                                        + total);
                    }
                });
        long revoked = counts.stream().mapToLong(TerritoryRightsCount::getRevoked).sum();
        if (revoked != slate.expectedRevoked()) {
            failures.add(
                    "rights.intake.counts: "
                            + revoked
                            + " revocations counted, expected "
                            + slate.expectedRevoked());
        }
        List<String> invalid =
                deadLetters.stream()
                        .filter(d -> d.getCategory() == DeadLetterCategory.INVALID)
                        .map(DeadLetter::getKey)
                        .sorted()
                        .toList();
        if (!invalid.equals(slate.invalidRightIds().stream().sorted().toList())) {
            failures.add(
                    "rights.events.dlq: invalid records "
                            + invalid
                            + ", expected "
                            + slate.invalidRightIds());
        }
        long undecodable =
                deadLetters.stream()
                        .filter(d -> d.getCategory() == DeadLetterCategory.UNDECODABLE)
                        .count();
        if (undecodable != slate.undecodable()) {
            failures.add(
                    "rights.events.dlq: "
                            + undecodable
                            + " undecodable records, expected "
                            + slate.undecodable());
        }
        if (deadLetters.stream().anyMatch(d -> d.getCategory() == DeadLetterCategory.LATE)) {
            failures.add(
                    "rights.events.dlq: the slate arrived in order, yet records were dead-lettered as late");
        }
    }

    public Map<String, Long> totalsPerTerritory() {
        Map<String, Long> totals = new TreeMap<>();
        for (TerritoryRightsCount c : counts) {
            if (!c.getWindowEnd().isAfter(slate.lastSlateInstant().plus(Duration.ofHours(1)))) {
                totals.merge(c.getTerritory(), c.getTotal(), Long::sum);
            }
        }
        return totals;
    }

    public List<TerritoryRightsCount> counts() {
        return counts;
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    public List<String> failures() {
        return failures;
    }

    public void print(PrintStream out) {
        out.println();
        out.println(
                "  rights.intake.counts (valid rights events per territory, 1-hour event-time windows):");
        Map<String, Long> totals = totalsPerTerritory();
        long max = totals.values().stream().mapToLong(Long::longValue).max().orElse(1);
        totals.forEach(
                (territory, total) ->
                        out.printf(
                                "    %-4s %3d  %s%n",
                                territory, total, "#".repeat((int) Math.max(1, total * 30 / max))));
        out.printf(
                "  rights.events.dlq (%d records kept with their reason):%n", deadLetters.size());
        for (DeadLetter letter : deadLetters) {
            out.printf(
                    "    %-12s %-18s %s%n",
                    letter.getCategory(), letter.getKey(), abbreviate(letter.getReason(), 90));
        }
        if (failures.isEmpty()) {
            out.println(
                    "  pipeline: every valid record counted, every bad one dead-lettered with its reason");
        } else {
            failures.forEach(f -> out.println("  MISMATCH " + f));
        }
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
