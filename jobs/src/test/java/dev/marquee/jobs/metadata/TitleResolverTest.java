package dev.marquee.jobs.metadata;

import static dev.marquee.jobs.metadata.MetadataFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.OverrideAction;
import dev.marquee.schema.ReviewKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resolution rules on small sets of records, without Flink. */
class TitleResolverTest {

    @Test
    void recordsSharingAnIdInAnySpellingAreOneTitleAnchoredOnTheEidr() {
        var r =
                TitleResolver.resolve(
                        List.of(
                                record(
                                        "acme",
                                        "A-1",
                                        0,
                                        "Ghostbusters",
                                        1984,
                                        105,
                                        "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J"),
                                record(
                                        "beta",
                                        "B-7",
                                        1,
                                        "Ghost Busters",
                                        1984,
                                        107,
                                        "md:cid:eidr-s:7EC7-228A-510A-053E-CBB8-J",
                                        "tt0087332"),
                                record(
                                        "gamma",
                                        "G-2",
                                        2,
                                        "Ghostbusters",
                                        1984,
                                        105,
                                        "https://www.imdb.com/title/tt0087332/")),
                        List.of());
        assertThat(r.titles()).containsOnlyKeys(GHOSTBUSTERS_ID);
        CanonicalTitle t = r.titles().get(GHOSTBUSTERS_ID);
        assertThat(t.getEidr()).isEqualTo(GHOSTBUSTERS);
        assertThat(t.getSources()).containsExactly("acme:A-1", "beta:B-7", "gamma:G-2");
        assertThat(t.getAliases())
                .extracting(i -> i.getScheme() + ":" + i.getValue())
                .contains("imdb:tt0087332", "vendor:acme:A-1");
        assertThat(t.getTitles())
                .singleElement()
                .satisfies(x -> assertThat(x.getText()).isEqualTo("Ghostbusters"));
        assertThat(t.getRuntimeMinutes()).as("two of three say 105").isEqualTo(105);
        assertThat(t.getMatchConfidence()).isNull();
        assertThat(t.getProvenance())
                .extracting(p -> p.getField() + "<-" + p.getSource())
                .contains("titles.en-US<-vendor:acme:A-1", "contentId<-vendor:acme:A-1");
        assertThat(r.reviews()).isEmpty();
    }

    @Test
    void twoEidrsDrawnTogetherAreAConflictForReviewNotAMerge() {
        var r =
                TitleResolver.resolve(
                        List.of(
                                record(
                                        "acme",
                                        "A-1",
                                        0,
                                        "Ghostbusters",
                                        1984,
                                        105,
                                        GHOSTBUSTERS,
                                        "tt0087332"),
                                record(
                                        "beta",
                                        "B-1",
                                        0,
                                        "Dodgeball",
                                        2004,
                                        92,
                                        DODGEBALL,
                                        "tt0087332")),
                        List.of());
        assertThat(r.titles()).containsOnlyKeys(GHOSTBUSTERS_ID, DODGEBALL_ID);
        assertThat(r.reviews().values())
                .singleElement()
                .satisfies(
                        q -> {
                            assertThat(q.getKind()).isEqualTo(ReviewKind.IDENTIFIER_CONFLICT);
                            assertThat(List.of(q.getCandidateA(), q.getCandidateB()))
                                    .containsExactly(DODGEBALL_ID, GHOSTBUSTERS_ID);
                            assertThat(q.getDetail()).contains("imdb:tt0087332");
                        });
        var merged =
                TitleResolver.resolve(
                        List.of(
                                record(
                                        "acme",
                                        "A-1",
                                        0,
                                        "Ghostbusters",
                                        1984,
                                        105,
                                        GHOSTBUSTERS,
                                        "tt0087332"),
                                record(
                                        "beta",
                                        "B-1",
                                        0,
                                        "Dodgeball",
                                        2004,
                                        92,
                                        DODGEBALL,
                                        "tt0087332")),
                        List.of(decide("o-1", OverrideAction.MERGE, DODGEBALL, GHOSTBUSTERS, 5)));
        assertThat(merged.titles())
                .as("the MERGE names the survivor")
                .containsOnlyKeys(DODGEBALL_ID);
        assertThat(merged.reviews()).isEmpty();
    }

    @Test
    void aBadEidrIsAFlaggedAliasAndNeverAnchorsOrLinks() {
        var r =
                TitleResolver.resolve(
                        List.of(
                                record(
                                        "acme",
                                        "A-1",
                                        0,
                                        "Ghostbusters",
                                        1984,
                                        105,
                                        BAD_EIDR,
                                        "tt0087332"),
                                record("beta", "B-1", 0, "Something Else", 1990, 90, BAD_EIDR)),
                        List.of());
        assertThat(r.titles()).containsOnlyKeys("imdb:tt0087332", "vendor:beta:B-1");
        assertThat(r.titles().get("imdb:tt0087332").getEidr()).isNull();
        assertThat(r.titles().get("imdb:tt0087332").getAliases())
                .anySatisfy(
                        i -> {
                            assertThat(i.getValue()).isEqualTo(BAD_EIDR);
                            assertThat(i.getValid()).isFalse();
                        });
    }

    @Test
    void similarTitlesMergeAboveTheHighThresholdAndGoToReviewBetween() {
        var r =
                TitleResolver.resolve(
                        List.of(
                                record(
                                        "acme",
                                        "A-1",
                                        0,
                                        "The Lighthouse Keepers",
                                        2019,
                                        104,
                                        "tt7000001"),
                                record("beta", "B-1", 0, "Lighthouse Keepers, The", 2019, 105),
                                record("acme", "A-2", 0, "Harbour Lights", 2021, 98),
                                record("beta", "B-2", 0, "Harbor Lights Redux", 2021, 99)),
                        List.of());
        assertThat(r.titles())
                .containsOnlyKeys("imdb:tt7000001", "vendor:acme:A-2", "vendor:beta:B-2");
        assertThat(r.titles().get("imdb:tt7000001").getMatchConfidence()).isEqualTo(1.0);
        assertThat(r.reviews().values())
                .singleElement()
                .satisfies(
                        q -> {
                            assertThat(q.getKind()).isEqualTo(ReviewKind.LOW_CONFIDENCE_MATCH);
                            assertThat(q.getConfidence()).isBetween(0.85, 0.95);
                            assertThat(q.getReviewId())
                                    .isEqualTo("match:vendor:acme:A-2|vendor:beta:B-2");
                        });
        var kept =
                TitleResolver.resolve(
                        List.of(
                                record("acme", "A-2", 0, "Harbour Lights", 2021, 98),
                                record("beta", "B-2", 0, "Harbor Lights Redux", 2021, 99)),
                        List.of(
                                decide(
                                        "o-2",
                                        OverrideAction.KEEP_APART,
                                        "vendor:acme:A-2",
                                        "vendor:beta:B-2",
                                        3)));
        assertThat(kept.titles()).hasSize(2);
        assertThat(kept.reviews()).isEmpty();
    }

    @Test
    void differentImdbIdsAreNeverMergedByTitle() {
        var r =
                TitleResolver.resolve(
                        List.of(
                                record("acme", "A-1", 0, "Dune", 2021, 155, "tt1160419"),
                                record("beta", "B-1", 0, "Dune", 2021, 155, "tt9999999")),
                        List.of());
        assertThat(r.titles()).hasSize(2);
        assertThat(r.reviews()).isEmpty();
    }

    @Test
    void overridesWinOnAnyIdOfTheTitleAndTheLatestWins() {
        var r =
                TitleResolver.resolve(
                        List.of(
                                record(
                                        "acme",
                                        "A-1",
                                        0,
                                        "Ghostbusters",
                                        1984,
                                        105,
                                        GHOSTBUSTERS,
                                        "tt0087332")),
                        List.of(
                                setField(
                                        "o-1",
                                        "tt0087332",
                                        "titles.en-US",
                                        "Ghostbusters (1984)",
                                        5),
                                setField("o-2", GHOSTBUSTERS, "releaseYear", "1985", 6),
                                setField("o-3", GHOSTBUSTERS, "releaseYear", "1984", 7)));
        CanonicalTitle t = r.titles().get(GHOSTBUSTERS_ID);
        assertThat(t.getTitles().get(0).getText()).isEqualTo("Ghostbusters (1984)");
        assertThat(t.getReleaseYear()).isEqualTo(1984);
        assertThat(t.getProvenance())
                .extracting(p -> p.getField() + "<-" + p.getSource())
                .contains("titles.en-US<-override:o-1", "releaseYear<-override:o-3");
    }
}
