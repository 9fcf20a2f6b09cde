package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

class TitleMatcherTest {
    static TitleMatcher.Profile p(String title, Integer year, Integer runtime) {
        return new TitleMatcher.Profile(List.of(TitleText.matchKey(title)), year, runtime);
    }

    @Test
    void sameTitleYearAndRuntimeMerge() {
        assertThat(
                        TitleMatcher.score(
                                p("The Lighthouse Keepers", 2019, 104),
                                p("Lighthouse Keepers, The", 2019, 105)))
                .hasValue(1.0);
    }

    @Test
    void aNearTitleIsForReviewAndADifferentOneStaysApart() {
        double near =
                TitleMatcher.score(
                                p("Harbour Lights", 2021, 98), p("Harbor Lights Redux", 2021, 99))
                        .getAsDouble();
        assertThat(near).isBetween(TitleMatcher.REVIEW, TitleMatcher.MERGE);
        double far =
                TitleMatcher.score(p("Harbour Lights", 2021, 98), p("Desert Wind", 2021, 98))
                        .getAsDouble();
        assertThat(far).isLessThan(TitleMatcher.REVIEW);
    }

    @Test
    void distantYearsRuntimesOrMissingYearsAreNotCompared() {
        assertThat(TitleMatcher.score(p("Dune", 1984, 137), p("Dune", 2021, 155))).isEmpty();
        assertThat(TitleMatcher.score(p("Dune", 2021, 137), p("Dune", 2021, 155))).isEmpty();
        assertThat(TitleMatcher.score(p("Dune", null, 137), p("Dune", 2021, 137))).isEmpty();
    }

    /**
     * The shortcut in {@link TitleMatcher#related} never changes an answer: the bound is at least
     * the similarity, and a pair it rules out scores below the threshold. A five-letter alphabet
     * makes similar pairs common.
     */
    @Property(tries = 2000)
    void theBoundNeverRulesOutARelatedPair(
            @ForAll @CharRange(from = 'a', to = 'e') @StringLength(min = 1, max = 14) String x,
            @ForAll @CharRange(from = 'a', to = 'e') @StringLength(min = 1, max = 14) String y,
            @ForAll @IntRange(min = 2000, max = 2001) int year,
            @ForAll @IntRange(min = 90, max = 100) int runtime) {
        double jw = new JaroWinklerSimilarity().apply(x, y);
        assertThat(
                        TitleMatcher.upperBound(
                                x, TitleMatcher.sortedChars(x), y, TitleMatcher.sortedChars(y)))
                .isGreaterThanOrEqualTo(jw);
        TitleMatcher.Profile a = new TitleMatcher.Profile(List.of(x), 2000, 95);
        TitleMatcher.Profile b = new TitleMatcher.Profile(List.of(y), year, runtime);
        if (TitleMatcher.belowForSure(a, b, TitleMatcher.REVIEW)) {
            assertThat(TitleMatcher.score(a, b).orElse(0)).isLessThan(TitleMatcher.REVIEW);
        }
    }
}
