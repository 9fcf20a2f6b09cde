package dev.marquee.demo;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.rights.RightFanOut;
import dev.marquee.jobs.rights.RightsLifecycleJob;
import dev.marquee.jobs.rights.RightsLifecycleTopology;
import dev.marquee.rights.AuditChain;
import dev.marquee.rights.RightValidator;
import dev.marquee.rights.RightsEvaluator;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.EncodeResult;
import dev.marquee.schema.EncodeStatus;
import dev.marquee.schema.EncoderKind;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightsAuditRecord;
import dev.marquee.schema.RightsTransition;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.sql.SqlClientLauncher;
import dev.marquee.time.AcceleratedClock;
import dev.marquee.topics.Topic;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The rights lifecycle job's part in the demo: the same slate of rights plays from November 2026 to
 * the end of 2031 on an accelerated clock (five years in about a minute). Every window must open
 * and close at exactly the instants the offline evaluator computes for the same rights, the one
 * title missing from the catalog must be dead-lettered as unknown content, the title whose assets
 * never arrive must raise a propagation breach for each opening, and every audit chain must verify.
 */
public final class RightsLifecycleStage implements DemoStage {
    /** Simulated time starts here (the slate's day) and the check stops here. */
    static final Instant SIMULATION_START = Instant.parse("2026-11-20T00:00:00Z");

    static final Instant SIMULATION_END = Instant.parse("2032-01-01T00:00:00Z");

    /** Real seconds the five years take in the demo. */
    static final Duration PLAY_TIME = Duration.ofSeconds(60);

    /**
     * Real time between wiring and the clock starting: the slate and the later feed (which the
     * rights-intake stage sends once its job has read the slate, a checkpoint and a few seconds of
     * quiet after the start) are read before time runs.
     */
    static final Duration HOLD = Duration.ofSeconds(20);

    private final Duration playTime;
    private final Duration hold;

    /** The slate title left out of the catalog on purpose: its right is unknown content. */
    static final String UNCATALOGUED = "eidr:10.5240/3A4B-5C6D-7E8F-9A0B-1C2D-A";

    /** The title whose assets never arrive: each opening breaches the propagation SLO. */
    static final String NO_ASSETS = "eidr:10.5240/7A8B-9C0D-1E2F-3A4B-5C6D-4";

    /** The title whose assets arrive ten minutes after its JP window opens. */
    static final String LATE_ASSETS = "eidr:10.5240/4B5C-6D7E-8F9A-0B1C-2D3E-B";

    static final Instant LATE_ASSETS_AT = Instant.parse("2028-03-14T15:10:00Z");

    private final List<RightEvent> slate;
    private final double speed;
    private Instant anchor;

    public RightsLifecycleStage() {
        this(PLAY_TIME, HOLD);
    }

    /**
     * A stage whose simulated years take {@code playTime}, starting {@code hold} after the first
     * {@link #wire}; wiring again (a restore) keeps the same anchor, so the clock continues.
     */
    public RightsLifecycleStage(Duration playTime, Duration hold) {
        this.playTime = playTime;
        this.hold = hold;
        try {
            DemoSlate demoSlate = DemoSlate.load();
            List<RightEvent> all = new ArrayList<>(demoSlate.parsed());
            all.addAll(demoSlate.parsedLater());
            this.slate = all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.speed =
                AcceleratedClock.speedFor(
                        Duration.between(SIMULATION_START, SIMULATION_END), playTime);
    }

    @Override
    public String name() {
        return RightsLifecycleTopology.JOB;
    }

    @Override
    public String describe() {
        return "the slate's rights played from "
                + SIMULATION_START.atZone(ZoneOffset.UTC).toLocalDate()
                + " to "
                + SIMULATION_END.atZone(ZoneOffset.UTC).toLocalDate()
                + " in about "
                + playTime.toSeconds()
                + " s; "
                + catalogued().size()
                + " titles in the catalog (one left out), encode results for all but one";
    }

    @Override
    public void wire(StreamExecutionEnvironment env, JobSettings settings) {
        if (anchor == null) {
            anchor = Instant.now().plus(hold);
        }
        RightsLifecycleTopology.Settings topology =
                RightsLifecycleTopology.Settings.defaults()
                        .withClock(
                                AcceleratedClock.anchored(SIMULATION_START, speed, anchor),
                                Duration.ofHours(1))
                        .withKnownContent(true, Duration.ofDays(180));
        RightsLifecycleJob.wire(env, settings, topology);
    }

    @Override
    public void publish(RecordPublisher publisher, TopicClients clients, PrintStream out)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = clients.producer()) {
            var titles = clients.serializer(Topic.CATALOG_TITLES, CanonicalTitle.class);
            for (String contentId : catalogued()) {
                CanonicalTitle title =
                        CanonicalTitle.newBuilder()
                                .setContentId(contentId)
                                .setVersion(1)
                                .setEidr(contentId.substring("eidr:".length()))
                                .setUpdatedAt(SIMULATION_START)
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                Topic.CATALOG_TITLES.topicName(),
                                contentId,
                                titles.serialize(title)));
            }
            var results = clients.serializer(Topic.ENCODE_RESULTS, EncodeResult.class);
            for (String contentId : catalogued()) {
                if (contentId.equals(NO_ASSETS)) {
                    continue;
                }
                Instant finished =
                        contentId.equals(LATE_ASSETS)
                                ? LATE_ASSETS_AT
                                : SIMULATION_START.plus(Duration.ofDays(10));
                EncodeResult result =
                        EncodeResult.newBuilder()
                                .setTaskId("demo-encode-" + contentId)
                                .setContentId(contentId)
                                .setStatus(EncodeStatus.SUCCEEDED)
                                .setOutputs(List.of())
                                .setDurationMs(3_600_000)
                                .setEncoderKind(EncoderKind.GPU)
                                .setFinishedAt(finished)
                                .build();
                // The simulated worker's finish instant is in the result; the record itself is
                // stamped now (Kafka refuses timestamps far in the future).
                producer.send(
                        new ProducerRecord<>(
                                Topic.ENCODE_RESULTS.topicName(),
                                result.getTaskId(),
                                results.serialize(result)));
            }
            producer.flush();
        }
        out.printf(
                "      %s: simulated clock starts %d s after the job is wired, at %.0fx real"
                        + " time%n",
                name(), hold.toSeconds(), speed);
    }

    @Override
    public List<String> await(TopicClients clients, Instant deadline, PrintStream out)
            throws Exception {
        Map<String, List<String>> expected = expectedTransitions();
        int expectedCount = expected.values().stream().mapToInt(List::size).sum();
        List<RightsTransition> transitions = List.of();
        while (Instant.now().isBefore(deadline)) {
            transitions =
                    clients
                            .readAll(Topic.RIGHTS_TRANSITIONS.topicName(), RightsTransition.class)
                            .stream()
                            .filter(t -> t.getAt().isBefore(SIMULATION_END))
                            .toList();
            out.printf(
                    "\r      %d/%d transitions (simulated time ~%s)   ",
                    transitions.size(),
                    expectedCount,
                    simulatedNow().atZone(ZoneOffset.UTC).toLocalDate());
            out.flush();
            if (transitions.size() >= expectedCount
                    && simulatedNow().isAfter(SIMULATION_END.plus(Duration.ofDays(30)))) {
                break;
            }
            Thread.sleep(1000);
        }
        out.println();
        // Commit lag: give the sinks one more checkpoint before reading the other topics.
        Thread.sleep(3000);
        List<String> failures = new ArrayList<>();
        Map<String, List<String>> actual = new TreeMap<>();
        for (RightsTransition t : transitions) {
            actual.computeIfAbsent(
                            t.getContentId() + "|" + t.getTerritory(), k -> new ArrayList<>())
                    .add(t.getAt() + " " + t.getKind());
        }
        actual.values().forEach(l -> l.sort(null));
        int matching = 0;
        for (String key : union(expected.keySet(), actual.keySet())) {
            List<String> want = expected.getOrDefault(key, List.of());
            List<String> got = actual.getOrDefault(key, List.of());
            if (want.equals(got)) {
                matching++;
            } else if (failures.size() < 5) {
                failures.add("rights.transitions " + key + ": job " + got + ", evaluator " + want);
            }
        }
        int keys = union(expected.keySet(), actual.keySet()).size();
        if (matching != keys) {
            failures.add(
                    (keys - matching)
                            + " of "
                            + keys
                            + " (title, country) timelines differ from the evaluator");
        }

        List<RightsTransition> opens =
                clients.readAll(Topic.RIGHTS_OPEN.topicName(), RightsTransition.class).stream()
                        .filter(t -> t.getAt().isBefore(SIMULATION_END))
                        .toList();
        long openings =
                transitions.stream().filter(t -> t.getKind().name().equals("OPENED")).count();
        List<SloAlert> breaches =
                clients.readAll(Topic.SLO_ALERTS.topicName(), SloAlert.class).stream()
                        .filter(a -> a.getKind() == AlertKind.PROPAGATION_BREACH)
                        .toList();
        List<SloMetric> propagation =
                clients.readAll(Topic.SLO_METRICS.topicName(), SloMetric.class).stream()
                        .filter(m -> m.getSli().name().equals("RIGHTS_PROPAGATION_MINUTES"))
                        .filter(m -> m.getWindowStart().isBefore(SIMULATION_END))
                        .toList();
        long expectedBreaches =
                expected.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(NO_ASSETS + "|"))
                        .flatMap(e -> e.getValue().stream())
                        .filter(s -> s.endsWith("OPENED"))
                        .count();
        List<DeadLetter> letters =
                clients.readAll(Topic.RIGHTS_EVENTS.dlqName(), DeadLetter.class).stream()
                        .filter(d -> RightsLifecycleTopology.JOB.equals(d.getJob()))
                        .toList();
        List<RightsAuditRecord> audit =
                clients.readAll(Topic.RIGHTS_AUDIT.topicName(), RightsAuditRecord.class);
        Map<String, List<RightsAuditRecord>> chains =
                audit.stream()
                        .collect(
                                Collectors.groupingBy(
                                        RightsAuditRecord::getContentId,
                                        TreeMap::new,
                                        Collectors.toList()));
        long broken = chains.values().stream().filter(c -> !AuditChain.verify(c).intact()).count();

        out.printf(
                "  rights.transitions: %d, matching the offline evaluator on %d/%d (title, country)"
                        + " timelines%n",
                transitions.size(), matching, keys);
        printTimeline(out, transitions);
        out.printf("  rights.open: %d events (one per opening: %d)%n", opens.size(), openings);
        out.printf(
                "  slo.alerts: %d propagation breaches (expected %d, for %s whose assets never"
                        + " arrived)%n",
                breaches.size(), expectedBreaches, NO_ASSETS);
        out.printf(
                "  slo.metrics: %d rights-open to assets-ready values; %s%n",
                propagation.size(), lateAssetsMinutes(propagation));
        out.printf(
                "  rights.audit: %d records in %d hash chains, %d broken%n",
                audit.size(), chains.size(), broken);
        out.printf("  rights.events.dlq (this job): %d%n", letters.size());
        for (DeadLetter d : letters) {
            out.printf(
                    "    %-18s %-18s %s%n",
                    d.getCategory(), d.getKey(), DemoResults.abbreviate(d.getReason(), 90));
        }

        if (opens.size() != openings) {
            failures.add(
                    "rights.open has " + opens.size() + " events for " + openings + " openings");
        }
        if (breaches.size() != expectedBreaches
                || breaches.stream().anyMatch(b -> !NO_ASSETS.equals(b.getContentId()))) {
            failures.add(
                    "slo.alerts: "
                            + breaches.size()
                            + " propagation breaches, expected "
                            + expectedBreaches
                            + " for "
                            + NO_ASSETS
                            + " only");
        }
        if (propagation.size() != openings) {
            failures.add(
                    "slo.metrics: "
                            + propagation.size()
                            + " propagation values for "
                            + openings
                            + " openings");
        }
        if (chains.isEmpty() || broken > 0) {
            failures.add("rights.audit: " + broken + " of " + chains.size() + " chains broken");
        }
        Map<DeadLetterCategory, Long> byCategory =
                letters.stream()
                        .collect(
                                Collectors.groupingBy(
                                        DeadLetter::getCategory,
                                        TreeMap::new,
                                        Collectors.counting()));
        Map<DeadLetterCategory, Long> wantLetters = new TreeMap<>();
        wantLetters.put(DeadLetterCategory.UNDECODABLE, 1L);
        wantLetters.put(DeadLetterCategory.INVALID, (long) invalid().size());
        wantLetters.put(DeadLetterCategory.UNKNOWN_REFERENCE, 1L);
        if (!byCategory.equals(wantLetters)) {
            failures.add("rights.events.dlq: " + byCategory + ", expected " + wantLetters);
        }
        return failures;
    }

    @Override
    public List<String> check(MarqueeHome home, Endpoints endpoints, PrintStream out)
            throws Exception {
        out.println("[check] reading rights.transitions back through the Flink SQL client...");
        Map<String, Long> perKind = new TreeMap<>();
        expectedTransitions().values().stream()
                .flatMap(List::stream)
                .forEach(s -> perKind.merge(s.substring(s.indexOf(' ') + 1), 1L, Long::sum));
        String sql =
                "SET 'execution.runtime-mode' = 'batch';\n"
                        + "SELECT CAST(kind AS STRING) AS k, COUNT(*) AS n FROM rights_transitions"
                        + " /*+ OPTIONS('scan.bounded.mode'='latest-offset') */"
                        + " WHERE `at` < TIMESTAMP '2032-01-01 00:00:00' GROUP BY CAST(kind AS STRING);\n";
        SqlClientLauncher.Result result =
                SqlClientLauncher.runScript(
                        home,
                        endpoints.override(null, null, SqlClientLauncher.LOCAL),
                        sql,
                        Duration.ofMinutes(3));
        int matched = DemoCheck.matchingRows(result.output(), perKind);
        out.printf(
                "  SQL client: exit %d, %d/%d transition kinds counted as expected %s%n",
                result.exitCode(), matched, perKind.size(), perKind);
        if (result.exitCode() != 0 || matched != perKind.size()) {
            java.nio.file.Files.writeString(
                    home.dataDir().resolve("demo/sql-check-lifecycle.log"), result.output());
            return List.of(
                    "SQL client read-back of rights_transitions (output in"
                            + " .marquee/demo/sql-check-lifecycle.log)");
        }
        return List.of();
    }

    @Override
    public List<String> hints() {
        return List.of(
                "transitions:    bin/marquee consume rights.transitions --from-beginning",
                "audit chains:   bin/marquee audit verify",
                "SQL:            bin/marquee sql -f jobs/sql/queries/rights-title-history.sql");
    }

    /** What the offline evaluator says each (title, country) does between start and end. */
    public Map<String, List<String>> expectedTransitions() {
        RightsEvaluator evaluator = new RightsEvaluator();
        Map<String, Set<String>> countries = new LinkedHashMap<>();
        for (RightEvent right : valid()) {
            evaluator.accept(right);
            countries
                    .computeIfAbsent(right.getContentId(), k -> new TreeSet<>())
                    .addAll(RightFanOut.covered(right));
        }
        Map<String, List<String>> expected = new TreeMap<>();
        countries.forEach(
                (content, where) -> {
                    for (String country : where) {
                        List<String> timeline = new ArrayList<>();
                        for (RightsEvaluator.Transition t :
                                evaluator.transitions(
                                        content, country, SIMULATION_START, SIMULATION_END)) {
                            timeline.add(t.at() + " " + t.kind().name());
                        }
                        if (!timeline.isEmpty()) {
                            timeline.sort(null);
                            expected.put(content + "|" + country, timeline);
                        }
                    }
                });
        return expected;
    }

    private List<RightEvent> valid() {
        return slate.stream()
                .filter(r -> RightValidator.problems(r).isEmpty())
                .filter(r -> !r.getContentId().equals(UNCATALOGUED))
                .toList();
    }

    private List<RightEvent> invalid() {
        return slate.stream().filter(r -> !RightValidator.problems(r).isEmpty()).toList();
    }

    private Set<String> catalogued() {
        Set<String> ids = new TreeSet<>();
        for (RightEvent r : slate) {
            if (RightValidator.problems(r).isEmpty() && !r.getContentId().equals(UNCATALOGUED)) {
                ids.add(r.getContentId());
            }
        }
        return ids;
    }

    /** Where the simulation is now (SIMULATION_START until the clock starts). */
    public Instant simulatedNow() {
        if (anchor == null || Instant.now().isBefore(anchor)) {
            return SIMULATION_START;
        }
        return SIMULATION_START.plusMillis(
                (long) (Duration.between(anchor, Instant.now()).toMillis() * speed));
    }

    private static String lateAssetsMinutes(List<SloMetric> propagation) {
        return propagation.stream()
                .filter(m -> m.getValue() > 0 && !m.getBreached())
                .findFirst()
                .map(m -> String.format("one took %.0f min (%s)", m.getValue(), m.getTerritory()))
                .orElse("none waited");
    }

    private static void printTimeline(PrintStream out, List<RightsTransition> transitions) {
        Map<Integer, Long> perYear = new TreeMap<>();
        for (RightsTransition t : transitions) {
            perYear.merge(t.getAt().atZone(ZoneOffset.UTC).getYear(), 1L, Long::sum);
        }
        long max = perYear.values().stream().mapToLong(Long::longValue).max().orElse(1);
        perYear.forEach(
                (year, n) ->
                        out.printf(
                                "    %d %4d  %s%n",
                                year, n, "#".repeat((int) Math.max(1, n * 40 / max))));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
