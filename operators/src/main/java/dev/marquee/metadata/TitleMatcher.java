package dev.marquee.metadata;

import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.LocalizedTitle;
import java.io.Serializable;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * How alike two feed records are when they share no identifier: Jaro-Winkler similarity (Apache
 * Commons Text) of their best pair of title match keys, discounted when year or runtime differ a
 * little. Records whose years differ by more than one, or whose known runtimes differ by more than
 * {@link #MAX_RUNTIME_GAP} minutes, are not compared at all; neither are records without a release
 * year (a title alone is too weak to join two works).
 *
 * <p>Scores at or above {@link #MERGE} merge records into one title (the score is recorded), scores
 * from {@link #REVIEW} up to it go to a person, lower ones stay apart.
 */
public final class TitleMatcher {
    public static final double MERGE = 0.95;
    public static final double REVIEW = 0.85;
    public static final int MAX_RUNTIME_GAP = 10;

    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

    private TitleMatcher() {}

    /** What matching needs of a record: its title keys, year and runtime. */
    public record Profile(List<String> titleKeys, Integer year, Integer runtime)
            implements Serializable {
        public static Profile of(FeedRecord record) {
            List<String> keys =
                    record.getTitles().stream()
                            .map(LocalizedTitle::getText)
                            .map(TitleText::matchKey)
                            .filter(k -> !k.isEmpty())
                            .distinct()
                            .sorted()
                            .toList();
            return new Profile(keys, record.getReleaseYear(), record.getRuntimeMinutes());
        }

        /** Whether the record can be matched by title at all (it needs a year and a title). */
        public boolean matchable() {
            return year != null && !titleKeys.isEmpty();
        }
    }

    /** The confidence that two records describe one work, or empty when they are not comparable. */
    public static OptionalDouble score(Profile a, Profile b) {
        if (!a.matchable() || !b.matchable()) {
            return OptionalDouble.empty();
        }
        int yearGap = Math.abs(a.year() - b.year());
        if (yearGap > 1) {
            return OptionalDouble.empty();
        }
        double runtimeFactor = 0.97;
        if (a.runtime() != null && b.runtime() != null) {
            int gap = Math.abs(a.runtime() - b.runtime());
            if (gap > MAX_RUNTIME_GAP) {
                return OptionalDouble.empty();
            }
            runtimeFactor = gap <= 2 ? 1.0 : gap <= 5 ? 0.98 : 0.95;
        }
        double best = 0;
        for (String x : a.titleKeys()) {
            for (String y : b.titleKeys()) {
                best = Math.max(best, JARO_WINKLER.apply(x, y));
            }
        }
        double score = best * (yearGap == 0 ? 1.0 : 0.96) * runtimeFactor;
        return OptionalDouble.of(Math.round(score * 10_000) / 10_000.0);
    }

    /** The score when it reaches the review threshold: the records are related. */
    public static OptionalDouble related(Profile a, Profile b) {
        OptionalDouble s = score(a, b);
        return s.isPresent() && s.getAsDouble() >= REVIEW ? s : OptionalDouble.empty();
    }
}
