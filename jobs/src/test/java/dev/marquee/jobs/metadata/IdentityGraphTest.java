package dev.marquee.jobs.metadata;

import static dev.marquee.jobs.metadata.MetadataFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.io.DeadLetters;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.OverrideAction;
import dev.marquee.schema.ReviewItem;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The identity graph through its harness: versions only on change, merges and conflicts, reviews
 * asked once and closed by decisions, overrides that survive feed updates, and withdrawals that
 * leave no state behind once the allowed lateness has passed.
 */
class IdentityGraphTest {
    static final Duration LATENESS = Duration.ofHours(1);

    @Test
    void aSecondSpellingOfTheSameWorkMergesAndAReplayChangesNoVersion() throws Exception {
        try (var h = harness()) {
            FeedRecord a =
                    record(
                            "acme",
                            "A-1",
                            0,
                            "Ghostbusters",
                            1984,
                            105,
                            "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J");
            FeedRecord b =
                    record(
                            "beta",
                            "B-7",
                            1,
                            "Ghostbusters",
                            1984,
                            105,
                            "md:cid:eidr-s:7EC7-228A-510A-053E-CBB8-J",
                            "tt0087332");
            feed(h, a);
            feed(h, b);
            assertThat(titles(h))
                    .extracting(
                            t -> t.getContentId() + " v" + t.getVersion() + " " + t.getSources())
                    .containsExactly(
                            GHOSTBUSTERS_ID + " v1 [acme:A-1]",
                            GHOSTBUSTERS_ID + " v2 [acme:A-1, beta:B-7]");
            assertThat(titles(h).get(1).getIdentityChangedAt()).isEqualTo(at(1));

            // The same facts again, even re-ingested later: no new version, no new question.
            feed(h, a);
            feed(h, b);
            FeedRecord reingested = FeedRecord.newBuilder(b).build();
            reingested.getProvenance().setIngestedAt(at(30));
            feed(h, reingested);
            assertThat(titles(h)).hasSize(2);
            assertThat(reviews(h)).isEmpty();

            // A real change is a new version, and only a descriptive one (identity unchanged).
            feed(
                    h,
                    record(
                            "acme",
                            "A-1",
                            40,
                            "Ghostbusters",
                            1984,
                            107,
                            "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J"));
            feed(h, record("gamma", "G-1", 41, "Ghostbusters", 1984, 107, "tt0087332"));
            CanonicalTitle last = titles(h).get(titles(h).size() - 1);
            assertThat(last.getVersion()).isEqualTo(4);
            assertThat(last.getRuntimeMinutes()).isEqualTo(107);
        }
    }

    @Test
    void aConflictGoesToReviewAndAMergeDecisionChangesTheGraph() throws Exception {
        try (var h = harness()) {
            feed(h, record("acme", "A-1", 0, "Ghostbusters", 1984, 105, GHOSTBUSTERS, "tt0087332"));
            feed(h, record("beta", "B-1", 1, "Dodgeball", 2004, 92, DODGEBALL, "tt0087332"));
            assertThat(MetadataFixtures.catalog(titles(h)))
                    .containsOnlyKeys(GHOSTBUSTERS_ID, DODGEBALL_ID);
            assertThat(reviews(h))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r.getReviewId())
                                            .isEqualTo(
                                                    "conflict:"
                                                            + DODGEBALL_ID
                                                            + "|"
                                                            + GHOSTBUSTERS_ID));

            override(h, decide("rv-1", OverrideAction.MERGE, GHOSTBUSTERS, DODGEBALL, 10));
            assertThat(MetadataFixtures.catalog(titles(h))).containsOnlyKeys(GHOSTBUSTERS_ID);
            CanonicalTitle retired =
                    titles(h).stream()
                            .filter(
                                    t ->
                                            t.getContentId().equals(DODGEBALL_ID)
                                                    && t.getStatus().equals("RETIRED"))
                            .findFirst()
                            .orElseThrow();
            assertThat(retired.getSupersededBy()).isEqualTo(GHOSTBUSTERS_ID);
            assertThat(retired.getVersion()).isEqualTo(2);
            assertThat(reviews(h))
                    .extracting(ReviewItem::getStatus)
                    .containsExactly("OPEN", "RESOLVED");

            // The decision withdrawn: apart again, and the question comes back.
            override(h, withdrawOverride("rv-1-undo", GHOSTBUSTERS, "rv-1", 20));
            assertThat(MetadataFixtures.catalog(titles(h)))
                    .containsOnlyKeys(GHOSTBUSTERS_ID, DODGEBALL_ID);
            assertThat(MetadataFixtures.openReviews(reviews(h))).hasSize(1);
        }
    }

    @Test
    void aKeepApartDecisionClosesALowConfidenceQuestion() throws Exception {
        try (var h = harness()) {
            feed(h, record("acme", "A-2", 0, "Harbour Lights", 2021, 98));
            feed(h, record("beta", "B-2", 1, "Harbor Lights Redux", 2021, 99));
            assertThat(MetadataFixtures.openReviews(reviews(h))).hasSize(1);
            int versions = titles(h).size();
            override(
                    h,
                    decide(
                            "rv-2",
                            OverrideAction.KEEP_APART,
                            "vendor:acme:A-2",
                            "vendor:beta:B-2",
                            5));
            assertThat(MetadataFixtures.openReviews(reviews(h))).isEmpty();
            assertThat(titles(h)).as("keeping apart changes no title").hasSize(versions);
        }
    }

    @Test
    void anOverrideWinsSurvivesFeedUpdatesAndCanBeWithdrawn() throws Exception {
        try (var h = harness()) {
            feed(h, record("acme", "A-1", 0, "Ghostbusters", 1984, 105, GHOSTBUSTERS));
            override(
                    h,
                    setField("ed-1", GHOSTBUSTERS, "titles.en-US", "Ghostbusters (Remastered)", 5));
            assertThat(currentTitle(h)).isEqualTo("Ghostbusters (Remastered)");
            feed(h, record("acme", "A-1", 10, "GHOSTBUSTERS", 1984, 105, GHOSTBUSTERS));
            assertThat(currentTitle(h))
                    .as("a later feed update does not undo it")
                    .isEqualTo("Ghostbusters (Remastered)");
            override(h, withdrawOverride("ed-1-undo", GHOSTBUSTERS, "ed-1", 15));
            assertThat(currentTitle(h)).isEqualTo("GHOSTBUSTERS");
        }
    }

    @Test
    void anOverrideThatArrivesBeforeAnyFeedAppliesWhenTheTitleAppears() throws Exception {
        try (var h = harness()) {
            override(
                    h,
                    setField(
                            "ed-1",
                            "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J",
                            "titles.en-US",
                            "Ghostbusters (1984)",
                            0));
            assertThat(titles(h)).isEmpty();
            feed(h, record("acme", "A-1", 5, "Ghostbusters", 1984, 105, GHOSTBUSTERS));
            assertThat(titles(h))
                    .singleElement()
                    .satisfies(
                            t -> {
                                assertThat(t.getTitles().get(0).getText())
                                        .isEqualTo("Ghostbusters (1984)");
                                assertThat(t.getProvenance())
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p.getSource())
                                                                .isEqualTo("override:ed-1"));
                            });
        }
    }

    @Test
    void withdrawingEveryRecordRetiresTheTitleAndClearsAllStateAfterTheLateness() throws Exception {
        try (var h = harness()) {
            feed(h, record("acme", "A-1", 0, "Ghostbusters", 1984, 105, GHOSTBUSTERS, "tt0087332"));
            feed(h, record("beta", "B-1", 1, "Ghostbusters", 1984, 105, "tt0087332"));
            feed(h, record("beta", "B-2", 1, "Harbour Lights", 2021, 98));
            feed(h, record("acme", "A-2", 1, "Harbor Lights Redux", 2021, 99));
            override(h, setField("ed-1", GHOSTBUSTERS, "releaseYear", "1985", 2));
            override(h, withdrawOverride("ed-1-undo", GHOSTBUSTERS, "ed-1", 3));
            assertThat(h.numKeyedStateEntries()).isPositive();

            feed(h, withdrawal("acme", "A-1", 10));
            assertThat(MetadataFixtures.catalog(titles(h)))
                    .as("the title is re-anchored on what the remaining record has")
                    .containsKey("imdb:tt0087332")
                    .doesNotContainKey(GHOSTBUSTERS_ID);
            assertThat(MetadataFixtures.catalog(titles(h)).get("imdb:tt0087332").getSources())
                    .containsExactly("beta:B-1");
            feed(h, withdrawal("beta", "B-1", 11));
            feed(h, withdrawal("beta", "B-2", 11));
            feed(h, withdrawal("acme", "A-2", 12));
            assertThat(MetadataFixtures.catalog(titles(h))).isEmpty();
            assertThat(MetadataFixtures.openReviews(reviews(h))).isEmpty();
            assertThat(titles(h).stream().filter(t -> t.getStatus().equals("RETIRED")))
                    .extracting(CanonicalTitle::getContentId)
                    .containsExactlyInAnyOrder(
                            GHOSTBUSTERS_ID,
                            "imdb:tt0087332",
                            "vendor:acme:A-2",
                            "vendor:beta:B-2");

            // An older version arriving late is refused by the tombstone, not resurrected.
            feed(h, record("acme", "A-1", 5, "Ghostbusters", 1984, 105, GHOSTBUSTERS));
            assertThat(MetadataFixtures.catalog(titles(h))).isEmpty();

            assertThat(h.numEventTimeTimers()).isPositive();
            h.processBothWatermarks(new Watermark(at(12).plus(LATENESS).toEpochMilli()));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).as("no state left for withdrawn records").isZero();
        }
    }

    @Test
    void aTitleThatComesBackSoonAfterRetiringContinuesItsVersions() throws Exception {
        try (var h = harness()) {
            feed(h, record("acme", "A-1", 0, "Ghostbusters", 1984, 105, GHOSTBUSTERS));
            feed(h, withdrawal("acme", "A-1", 1));
            feed(h, record("beta", "B-1", 2, "Ghostbusters", 1984, 105, GHOSTBUSTERS));
            assertThat(titles(h))
                    .extracting(t -> t.getStatus() + " v" + t.getVersion())
                    .containsExactly("ACTIVE v1", "RETIRED v2", "ACTIVE v3");
        }
    }

    @Test
    void afterARestoreTitlesStillMatchAndQuestionsStillClose() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            feed(h, record("acme", "A-2", 0, "Harbour Lights", 2021, 98));
            feed(h, record("beta", "B-2", 1, "Harbor Lights Redux", 2021, 99));
            assertThat(MetadataFixtures.openReviews(reviews(h))).hasSize(1);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = restored(snapshot)) {
            override(
                    h,
                    decide(
                            "rv-2",
                            OverrideAction.KEEP_APART,
                            "vendor:acme:A-2",
                            "vendor:beta:B-2",
                            5));
            assertThat(reviews(h))
                    .singleElement()
                    .satisfies(r -> assertThat(r.getStatus()).isEqualTo(IdentityGraph.RESOLVED));
            // Match candidates live in memory: rebuilt from the restored records, the same title
            // from a third vendor still finds its twin.
            feed(h, record("gamma", "G-2", 6, "Harbour Lights", 2021, 98));
            assertThat(MetadataFixtures.catalog(titles(h)).values())
                    .singleElement()
                    .satisfies(
                            t ->
                                    assertThat(t.getSources())
                                            .containsExactly("acme:A-2", "gamma:G-2"));
        }
    }

    @Test
    void sameContentIgnoresVersionsAndTimesOnlyAsComparableDoes() throws Exception {
        CanonicalTitle t;
        try (var h = harness()) {
            feed(h, record("acme", "A-1", 0, "Ghostbusters", 1984, 105, GHOSTBUSTERS, "tt0087332"));
            t = titles(h).get(0);
        }
        CanonicalTitle later = CanonicalTitle.newBuilder(t).build();
        later.setVersion(7);
        later.setUpdatedAt(at(90));
        later.setIdentityChangedAt(at(91));
        later.getProvenance().forEach(p -> p.setAt(at(92)));
        CanonicalTitle longer = CanonicalTitle.newBuilder(later).setRuntimeMinutes(106).build();
        CanonicalTitle otherSource = CanonicalTitle.newBuilder(later).build();
        otherSource.getProvenance().get(0).setSource("vendor:beta:B-1");
        CanonicalTitle retired = CanonicalTitle.newBuilder(later).setStatus("RETIRED").build();
        for (CanonicalTitle other : List.of(later, longer, otherSource, retired)) {
            assertThat(IdentityGraph.sameContent(t, other))
                    .as(other.toString())
                    .isEqualTo(IdentityGraph.comparable(t).equals(IdentityGraph.comparable(other)));
        }
        assertThat(IdentityGraph.sameContent(t, later)).isTrue();
        assertThat(IdentityGraph.sameContent(t, longer)).isFalse();
        assertThat(IdentityGraph.sameContent(t, otherSource)).isFalse();
        assertThat(IdentityGraph.sameContent(t, retired)).isFalse();
    }

    @Test
    void recordsLaterThanTheAllowedLatenessGoToTheDlq() throws Exception {
        try (var h = harness()) {
            h.processBothWatermarks(new Watermark(at(500).toEpochMilli()));
            FeedRecord old = record("acme", "A-9", 1, "Old News", 2001, 90);
            h.processElement1(new StreamRecord<>(old, at(1).toEpochMilli()));
            assertThat(titles(h)).isEmpty();
            List<DeadLetter> letters =
                    h.getSideOutput(DeadLetters.tag()).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(letters)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getCategory()).isEqualTo(DeadLetterCategory.LATE);
                                assertThat(d.getKey()).isEqualTo("acme:A-9");
                                assertThat(d.getSourceTopic()).isEqualTo("metadata.feed.raw");
                            });
        }
    }

    static String currentTitle(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, FeedRecord, EditorialOverride, CanonicalTitle>
                    h) {
        return MetadataFixtures.catalog(titles(h))
                .get(GHOSTBUSTERS_ID)
                .getTitles()
                .get(0)
                .getText();
    }

    static void feed(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, FeedRecord, EditorialOverride, CanonicalTitle>
                    h,
            FeedRecord r)
            throws Exception {
        h.processElement1(new StreamRecord<>(r, r.getProvenance().getIngestedAt().toEpochMilli()));
    }

    static void override(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, FeedRecord, EditorialOverride, CanonicalTitle>
                    h,
            EditorialOverride o)
            throws Exception {
        h.processElement2(new StreamRecord<>(o, o.getIssuedAt().toEpochMilli()));
    }

    static List<CanonicalTitle> titles(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, FeedRecord, EditorialOverride, CanonicalTitle>
                    h) {
        return h.extractOutputValues();
    }

    static List<ReviewItem> reviews(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, FeedRecord, EditorialOverride, CanonicalTitle>
                    h) {
        var side = h.getSideOutput(IdentityGraph.REVIEWS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    /** A new operator restored from a snapshot of another. */
    static KeyedTwoInputStreamOperatorTestHarness<
                    String, FeedRecord, EditorialOverride, CanonicalTitle>
            restored(OperatorSubtaskState snapshot) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<
                        String, FeedRecord, EditorialOverride, CanonicalTitle>(
                        new KeyedCoProcessOperator<>(
                                new IdentityGraph(LATENESS.toMillis(), "test")),
                        r -> IdentityGraph.KEY,
                        o -> IdentityGraph.KEY,
                        Types.STRING);
        h.setup();
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    static KeyedTwoInputStreamOperatorTestHarness<
                    String, FeedRecord, EditorialOverride, CanonicalTitle>
            harness() throws Exception {
        var h =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                        new IdentityGraph(LATENESS.toMillis(), "test"),
                        r -> IdentityGraph.KEY,
                        o -> IdentityGraph.KEY,
                        Types.STRING);
        return h;
    }
}
