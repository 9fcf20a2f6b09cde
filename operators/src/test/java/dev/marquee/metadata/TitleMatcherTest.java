package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
