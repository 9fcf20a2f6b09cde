package dev.marquee.jobs.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.jobs.common.Loopback;
import dev.marquee.rights.RightTime;
import dev.marquee.rights.RightValidator;
import dev.marquee.rights.RightsEvaluator;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightException;
import dev.marquee.schema.RightStatus;
import dev.marquee.schema.RightsTransition;
import dev.marquee.time.WallClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * One semantic core, proven: random rights (three time forms, regions and exclusions, exceptions,
 * revisions arriving out of order, revocations) go through the real job topology on a MiniCluster,
 * and every (title, country) timeline the job emits equals the offline evaluator's transitions for
 * the same rights, instant for instant and kind for kind.
 *
 * <p>The input is bounded, so at its end Flink advances event time to the end of time and every
 * timer fires: the job plays its whole future.
 */
class JobTimelineMatchesEvaluatorTest {
    static final Instant ISSUED = Instant.parse("2026-11-20T08:00:00Z");
    static final Instant BASE = Instant.parse("2028-01-01T00:00:00Z");
    static final Instant END_OF_TIME = Instant.parse("2060-01-01T00:00:00Z");
    static final List<String> CODES =
            List.of("JP", "US", "GB", "FR", "AU", "BR", "NZ", "KR", "150", "419", "EU", "053");

    /**
     * A seed the property once failed on: a French window opening inside an embargo, which the job
     * reported as OPENED when the embargo ended and the evaluator, rightly, as RESUMED.
     */
    @Example
    void aWindowThatOpensInsideAnEmbargoResumes() throws Exception {
        everyTimelineEqualsTheEvaluators(-1538963L);
    }

    @Property(tries = 12)
    void everyTimelineEqualsTheEvaluators(@ForAll long seed) throws Exception {
        List<RightEvent> arrivals = randomRights(new Random(seed));

        RightsEvaluator evaluator = new RightsEvaluator();
        Map<String, Set<String>> keys = new TreeMap<>();
        for (RightEvent right : arrivals) {
            evaluator.accept(right);
            keys.computeIfAbsent(right.getContentId(), k -> new TreeSet<>())
                    .addAll(RightFanOut.covered(right));
        }
        Map<String, List<String>> expected = new TreeMap<>();
        keys.forEach(
                (content, countries) -> {
                    for (String country : countries) {
                        List<String> timeline = new ArrayList<>();
                        for (RightsEvaluator.Transition t :
                                evaluator.transitions(content, country, ISSUED, END_OF_TIME)) {
                            timeline.add(t.at() + " " + t.kind());
                        }
                        if (!timeline.isEmpty()) {
                            expected.put(content + "|" + country, timeline);
                        }
                    }
                });

        Map<String, List<String>> actual = new TreeMap<>();
        for (RightsTransition t : runJob(arrivals)) {
            actual.computeIfAbsent(
                            t.getContentId() + "|" + t.getTerritory(), k -> new ArrayList<>())
                    .add(t.getAt() + " " + t.getKind());
        }
        actual.values().forEach(Collections::sort);

        assertThat(expected).as("the generator gave the job something to do").isNotEmpty();
        assertThat(actual).as("seed %d, rights %s", seed, arrivals).isEqualTo(expected);
    }

    private static List<RightsTransition> runJob(List<RightEvent> rights) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.bind(conf));
        env.setParallelism(2);
        DataStream<RightEvent> source =
                env.fromData(
                                new AvroTypeInfo<>(RightEvent.class),
                                rights.toArray(RightEvent[]::new))
                        .uid("test-rights")
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<RightEvent>forBoundedOutOfOrderness(
                                                Duration.ofMinutes(5))
                                        .withTimestampAssigner(
                                                (r, previous) -> r.getIssuedAt().toEpochMilli()))
                        .uid("test-rights-time")
                        .name("rights with event time");
        RightsLifecycleTopology.Settings settings =
                RightsLifecycleTopology.Settings.defaults()
                        .withClock(WallClock.INSTANCE, Duration.ZERO)
                        .withKnownContent(false, Duration.ZERO);
        RightsLifecycleTopology.Outputs out =
                RightsLifecycleTopology.build(source, null, null, settings);
        List<RightsTransition> result = new ArrayList<>();
        try (CloseableIterator<RightsTransition> it = out.transitions().executeAndCollect()) {
            it.forEachRemaining(result::add);
        }
        return result;
    }

    /** A few titles with a few rights each, revisions shuffled, in arrival order. */
    static List<RightEvent> randomRights(Random random) {
        List<RightEvent> all = new ArrayList<>();
        int titles = 1 + random.nextInt(3);
        for (int c = 0; c < titles; c++) {
            int rightsPerTitle = 1 + random.nextInt(3);
            for (int r = 0; r < rightsPerTitle; r++) {
                int revisions = 1 + random.nextInt(3);
                for (int rev = 1; rev <= revisions; rev++) {
                    RightEvent right = randomRight(random, "c-" + c, "r-" + c + "-" + r, rev);
                    if (RightValidator.problems(right).isEmpty()) {
                        all.add(right);
                    }
                }
            }
        }
        // The highest revision of the first right grants: every try has timelines to compare.
        all.stream()
                .filter(r -> r.getRightId().equals("r-0-0"))
                .max((a, b) -> Long.compare(a.getRevision(), b.getRevision()))
                .ifPresent(r -> r.setStatus(RightStatus.ACTIVE));
        Collections.shuffle(all, random);
        List<RightEvent> arrivals = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            RightEvent right = all.get(i);
            right.setIssuedAt(ISSUED.plus(Duration.ofMinutes(i)));
            arrivals.add(right);
        }
        return arrivals;
    }

    static RightEvent randomRight(Random random, String contentId, String rightId, long revision) {
        List<String> territory = new ArrayList<>();
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            territory.add(CODES.get(random.nextInt(CODES.size())));
        }
        List<String> excluded =
                random.nextInt(4) == 0 ? List.of(CODES.get(random.nextInt(8))) : List.of();
        String start = time(random, BASE.plus(Duration.ofHours(random.nextInt(24 * 400))));
        String end =
                random.nextInt(4) == 0
                        ? null
                        : time(
                                random,
                                RightTime.parse(start)
                                        .latest()
                                        .plus(Duration.ofHours(48 + random.nextInt(24 * 300))));
        List<RightException> exceptions = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            Instant from = BASE.plus(Duration.ofHours(random.nextInt(24 * 500)));
            String exStart = from.toString();
            String exEnd = from.plus(Duration.ofHours(1 + random.nextInt(24 * 20))).toString();
            exceptions.add(
                    RightException.newBuilder()
                            .setType(
                                    List.of("embargo", "blackout", "festival")
                                            .get(random.nextInt(3)))
                            .setStart(exStart)
                            .setEnd(exEnd)
                            .setTerritory(
                                    random.nextBoolean()
                                            ? List.of()
                                            : List.of(CODES.get(random.nextInt(CODES.size()))))
                            .build());
        }
        return RightEvent.newBuilder()
                .setRightId(rightId)
                .setContentId(contentId)
                .setRevision(revision)
                .setStatus(random.nextInt(6) == 0 ? RightStatus.REVOKED : RightStatus.ACTIVE)
                .setTerritory(territory)
                .setExcludedTerritory(excluded)
                .setWindowStart(start)
                .setWindowEnd(end)
                .setExceptions(exceptions)
                .setIssuedAt(ISSUED)
                .build();
    }

    /** An instant in one of the three forms CONTRACT allows: instant, local date-time, date. */
    static String time(Random random, Instant at) {
        LocalDateTime local = LocalDateTime.ofInstant(at, ZoneOffset.UTC).withMinute(30);
        return switch (random.nextInt(3)) {
            case 0 -> local.toInstant(ZoneOffset.UTC).toString();
            case 1 -> local.toString();
            default -> local.toLocalDate().toString();
        };
    }
}
