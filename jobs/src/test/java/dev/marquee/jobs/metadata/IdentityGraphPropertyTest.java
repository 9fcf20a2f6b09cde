package dev.marquee.jobs.metadata;

import static dev.marquee.jobs.metadata.MetadataFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.OverrideAction;
import dev.marquee.schema.ReviewItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The two properties the catalog must have, over random feeds drawn from a small universe of works
 * (so ids, spellings, near titles, conflicts, withdrawals, stale versions and overrides collide
 * often):
 *
 * <ul>
 *   <li>order independence: any order of the same records, with duplicates and late (older)
 *       versions mixed in, leaves the same catalog and the same open questions, and that catalog is
 *       exactly what {@link TitleResolver} makes of the final set;
 *   <li>idempotence: replaying the feed (as is, or re-ingested with later ingest times) emits no
 *       title version and no question.
 * </ul>
 */
class IdentityGraphPropertyTest {

    /** A work in the universe: its ids in several spellings, title variants, year and runtime. */
    record Work(List<String> ids, List<String> titles, int year, int runtime) {}

    static final List<Work> WORKS =
            List.of(
                    new Work(
                            List.of(
                                    "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J", GHOSTBUSTERS,
                                    "md:cid:eidr-s:7EC7-228A-510A-053E-CBB8-J", "tt0087332",
                                    "https://www.imdb.com/title/tt0087332/", BAD_EIDR),
                            List.of("Ghostbusters", "Ghost Busters", "GHOSTBUSTERS"),
                            1984,
                            105),
                    new Work(
                            List.of(
                                    DODGEBALL,
                                    "tt0364725",
                                    "tmdb:movie:9472",
                                    "tt0087332" /* a vendor's wrong IMDb id: conflict */),
                            List.of("Dodgeball", "DodgeBall: A True Underdog Story"),
                            2004,
                            92),
                    new Work(
                            List.of("tt1000001", "tmdb:movie:1000001"),
                            List.of("Harbour Lights", "Harbor Lights"),
                            2021,
                            98),
                    new Work(
                            List.of(),
                            List.of("Harbor Lights Redux", "Harbour Lights Redux"),
                            2021,
                            99),
                    new Work(
                            List.of("tmdb:movie:620"),
                            List.of("The Lighthouse Keepers", "Lighthouse Keepers, The"),
                            2019,
                            104));

    @Provide
    Arbitrary<FeedRecord> records() {
        Arbitrary<String> vendor = Arbitraries.of("acme", "beta");
        Arbitrary<String> recordId = Arbitraries.of("r1", "r2", "r3", "r4", "r5", "r6");
        Arbitrary<Integer> work = Arbitraries.integers().between(0, WORKS.size() - 1);
        Arbitrary<Integer> minute = Arbitraries.integers().between(0, 6); // few values: ties happen
        Arbitrary<Long> seed = Arbitraries.longs();
        Arbitrary<Boolean> withdrawn = Arbitraries.integers().between(0, 6).map(i -> i == 0);
        return Combinators.combine(vendor, recordId, work, minute, seed, withdrawn)
                .as(
                        (v, id, w, m, s, gone) -> {
                            if (gone) {
                                return withdrawal(v, id, m);
                            }
                            Random r = new Random(s);
                            Work work1 = WORKS.get(w);
                            List<String> ids = new ArrayList<>();
                            for (String candidate : work1.ids()) {
                                if (r.nextInt(3) == 0) {
                                    ids.add(candidate);
                                }
                            }
                            String title = work1.titles().get(r.nextInt(work1.titles().size()));
                            int runtime = work1.runtime() + r.nextInt(3);
                            return record(
                                    v,
                                    id,
                                    m,
                                    title,
                                    work1.year(),
                                    runtime,
                                    ids.toArray(String[]::new));
                        });
    }

    @Provide
    Arbitrary<EditorialOverride> overrides() {
        return Arbitraries.of(
                setField("ed-1", GHOSTBUSTERS, "titles.en-US", "Ghostbusters (1984)", 3),
                setField("ed-1", GHOSTBUSTERS, "titles.en-US", "Ghostbusters!", 5),
                setField("ed-2", "tt1000001", "releaseYear", "2020", 2),
                decide("rv-1", OverrideAction.MERGE, GHOSTBUSTERS, DODGEBALL, 4),
                decide("rv-2", OverrideAction.KEEP_APART, "tt1000001", "vendor:acme:r3", 4),
                decide("rv-3", OverrideAction.MERGE, "tmdb-movie:1000001", "vendor:beta:r4", 6),
                withdrawOverride("ed-1-undo", GHOSTBUSTERS, "ed-1", 4),
                withdrawOverride("rv-1-undo", GHOSTBUSTERS, "rv-1", 6));
    }

    @Property(tries = 300)
    void anyOrderWithDuplicatesGivesTheSameCatalogAsResolvingTheFinalSet(
            @ForAll("feeds") List<Object> events, @ForAll Random random) throws Exception {
        List<Object> shuffled = new ArrayList<>(events);
        // duplicates: some events twice, anywhere
        for (int i = 0; i < events.size() / 3; i++) {
            shuffled.add(events.get(random.nextInt(events.size())));
        }
        Collections.shuffle(shuffled, random);

        Outcome first = run(events);
        Outcome second = run(shuffled);
        assertThat(comparable(second.catalog)).isEqualTo(comparable(first.catalog));
        assertThat(second.reviews.keySet()).isEqualTo(first.reviews.keySet());

        TitleResolver.Resolution expected = expected(events);
        assertThat(comparable(first.catalog)).isEqualTo(comparable(expected.titles()));
        assertThat(first.reviews.keySet()).isEqualTo(expected.reviews().keySet());
    }

    @Property(tries = 200)
    void replayingAFeedChangesNoTitleVersion(
            @ForAll("feeds") List<Object> events, @ForAll Random random) throws Exception {
        try (var h = IdentityGraphTest.harness()) {
            feedAll(h, events);
            int versions = h.extractOutputValues().size();
            int questions = IdentityGraphTest.reviews(h).size();
            List<Object> replay = new ArrayList<>(events);
            Collections.shuffle(replay, random);
            feedAll(h, replay);
            // Re-ingested later: the same facts with new ingest times.
            List<Object> reingested = new ArrayList<>();
            for (Object e : events) {
                if (e instanceof FeedRecord r && !r.getWithdrawn()) {
                    FeedRecord copy = FeedRecord.newBuilder(r).build();
                    copy.getProvenance().setIngestedAt(at(1000));
                    reingested.add(copy);
                }
            }
            Map<String, CanonicalTitle> before = catalog(h.extractOutputValues());
            if (reingestable(events)) {
                feedAll(h, reingested);
            }
            assertThat(h.extractOutputValues()).hasSize(versions);
            assertThat(IdentityGraphTest.reviews(h)).hasSize(questions);
            assertThat(catalog(h.extractOutputValues())).isEqualTo(before);
        }
    }

    /**
     * Re-ingesting only the latest live version of each record is a replay of the same facts; a
     * feed whose last word on a record was a withdrawal would resurrect it, which is a change.
     */
    static boolean reingestable(List<Object> events) {
        Map<String, FeedRecord> latest = latestRecords(events);
        return latest.values().stream().noneMatch(FeedRecord::getWithdrawn)
                && events.stream()
                        .filter(e -> e instanceof FeedRecord)
                        .map(e -> (FeedRecord) e)
                        .allMatch(
                                r ->
                                        r.getWithdrawn()
                                                || latest.get(
                                                                dev.marquee.metadata.FeedRecords
                                                                        .key(r))
                                                        .equals(r));
    }

    @Provide
    Arbitrary<List<Object>> feeds() {
        Arbitrary<Object> event =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, records().map(r -> (Object) r)),
                        net.jqwik.api.Tuple.of(1, overrides().map(o -> (Object) o)));
        return event.list().ofMinSize(1).ofMaxSize(25);
    }

    record Outcome(Map<String, CanonicalTitle> catalog, Map<String, ReviewItem> reviews) {}

    static Outcome run(List<Object> events) throws Exception {
        try (var h = IdentityGraphTest.harness()) {
            feedAll(h, events);
            return new Outcome(
                    catalog(h.extractOutputValues()), openReviews(IdentityGraphTest.reviews(h)));
        }
    }

    static void feedAll(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, FeedRecord, EditorialOverride, CanonicalTitle>
                    h,
            List<Object> events)
            throws Exception {
        for (Object e : events) {
            if (e instanceof FeedRecord r) {
                h.processElement1(
                        new StreamRecord<>(r, r.getProvenance().getIngestedAt().toEpochMilli()));
            } else {
                EditorialOverride o = (EditorialOverride) e;
                h.processElement2(new StreamRecord<>(o, o.getIssuedAt().toEpochMilli()));
            }
        }
    }

    static Map<String, FeedRecord> latestRecords(List<Object> events) {
        Map<String, FeedRecord> latest = new TreeMap<>();
        for (Object e : events) {
            if (e instanceof FeedRecord r) {
                latest.merge(
                        dev.marquee.metadata.FeedRecords.key(r),
                        r,
                        (a, b) -> IdentityGraph.newer(b, a) ? b : a);
            }
        }
        return latest;
    }

    static TitleResolver.Resolution expected(List<Object> events) {
        List<FeedRecord> live =
                latestRecords(events).values().stream().filter(r -> !r.getWithdrawn()).toList();
        List<EditorialOverride> all =
                events.stream()
                        .filter(e -> e instanceof EditorialOverride)
                        .map(e -> (EditorialOverride) e)
                        .toList();
        return TitleResolver.resolve(live, TitleResolver.active(all));
    }

    static Map<String, CanonicalTitle> comparable(Map<String, CanonicalTitle> catalog) {
        return catalog.entrySet().stream()
                .collect(
                        Collectors.toMap(
                                Map.Entry::getKey,
                                e -> IdentityGraph.comparable(e.getValue()),
                                (a, b) -> a,
                                TreeMap::new));
    }
}
