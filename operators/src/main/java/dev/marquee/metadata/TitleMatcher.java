package dev.marquee.metadata;

import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.LocalizedTitle;
import java.io.Serializable;
import java.util.Arrays;
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

    /**
     * What matching needs of a record: its title keys, year and runtime, and each key's characters
     * in sorted order (for {@link #related}'s bound).
     */
    public record Profile(
            List<String> titleKeys, Integer year, Integer runtime, List<String> sortedKeys)
            implements Serializable {
        public Profile(List<String> titleKeys, Integer year, Integer runtime) {
            this(
                    titleKeys,
                    year,
                    runtime,
                    titleKeys.stream().map(TitleMatcher::sortedChars).toList());
        }

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
        if (belowForSure(a, b, REVIEW)) {
            return OptionalDouble.empty();
        }
        OptionalDouble s = score(a, b);
        return s.isPresent() && s.getAsDouble() >= REVIEW ? s : OptionalDouble.empty();
    }

    /**
     * Slack below the threshold before {@link #belowForSure} answers yes: covers the score's
     * rounding to four decimals and floating-point error, so the answer is never wrong.
     */
    public static final double BOUND_SLACK = 1e-4;

    /**
     * Whether {@link #score} is certainly absent or below {@code threshold}, decided without
     * computing Jaro-Winkler: it cannot exceed what two keys' shared characters allow. The
     * similarity (Commons Text) is {@code j = (m/|x| + m/|y| + (m - t/2)/m) / 3}, raised to {@code
     * j + 0.1 p (1 - j)} when {@code j >= 0.7}, for {@code m} matching characters, {@code t}
     * transpositions and a common prefix of {@code p <= 4}; {@code m} is at most the number of
     * characters the two keys share (multiset intersection) and {@code (m - t/2)/m} at most 1, so
     * that bound taken through the same formula is an upper bound. Most pairs of different titles
     * fall well below it (different first letters give {@code p = 0}), and most comparisons of a
     * record with the titles of its years end here.
     */
    static boolean belowForSure(Profile a, Profile b, double threshold) {
        if (!a.matchable() || !b.matchable()) {
            return true;
        }
        int yearGap = Math.abs(a.year() - b.year());
        if (yearGap > 1) {
            return true;
        }
        double runtimeFactor = 0.97;
        if (a.runtime() != null && b.runtime() != null) {
            int gap = Math.abs(a.runtime() - b.runtime());
            if (gap > MAX_RUNTIME_GAP) {
                return true;
            }
            runtimeFactor = gap <= 2 ? 1.0 : gap <= 5 ? 0.98 : 0.95;
        }
        double bound = 0;
        for (int i = 0; i < a.titleKeys().size(); i++) {
            for (int k = 0; k < b.titleKeys().size(); k++) {
                bound =
                        Math.max(
                                bound,
                                upperBound(
                                        a.titleKeys().get(i),
                                        a.sortedKeys().get(i),
                                        b.titleKeys().get(k),
                                        b.sortedKeys().get(k)));
            }
        }
        return bound * (yearGap == 0 ? 1.0 : 0.96) * runtimeFactor < threshold - BOUND_SLACK;
    }

    /** The most Jaro-Winkler similarity two keys can have (see {@link #belowForSure}). */
    static double upperBound(String x, String sortedX, String y, String sortedY) {
        int shared = 0;
        for (int i = 0, k = 0; i < sortedX.length() && k < sortedY.length(); ) {
            char cx = sortedX.charAt(i);
            char cy = sortedY.charAt(k);
            if (cx == cy) {
                shared++;
                i++;
                k++;
            } else if (cx < cy) {
                i++;
            } else {
                k++;
            }
        }
        int prefix = 0;
        int limit = Math.min(4, Math.min(x.length(), y.length()));
        while (prefix < limit && x.charAt(prefix) == y.charAt(prefix)) {
            prefix++;
        }
        return similarityBound(shared, x.length(), y.length(), prefix);
    }

    /**
     * The most Jaro-Winkler similarity two keys of these lengths can have when they share at most
     * {@code shared} characters and have a common prefix of {@code prefix} (at most 4 counts); see
     * {@link #belowForSure}.
     */
    public static double similarityBound(int shared, int lengthX, int lengthY, int prefix) {
        int m = Math.min(shared, Math.min(lengthX, lengthY));
        if (m <= 0) {
            return 0;
        }
        double j = ((double) m / lengthX + (double) m / lengthY + 1) / 3;
        return j < 0.7 ? j : j + 0.1 * Math.min(4, prefix) * (1 - j);
    }

    /**
     * What {@link #score} multiplies the best similarity by for these gaps ({@code runtimeGap < 0}:
     * a runtime is unknown), or NaN when it does not compare the two records at all.
     */
    public static double discount(int yearGap, int runtimeGap) {
        if (yearGap > 1) {
            return Double.NaN;
        }
        double runtimeFactor = 0.97;
        if (runtimeGap >= 0) {
            if (runtimeGap > MAX_RUNTIME_GAP) {
                return Double.NaN;
            }
            runtimeFactor = runtimeGap <= 2 ? 1.0 : runtimeGap <= 5 ? 0.98 : 0.95;
        }
        return (yearGap == 0 ? 1.0 : 0.96) * runtimeFactor;
    }

    /**
     * Whether a similarity bound, discounted, leaves the score certainly below the threshold (with
     * {@link #BOUND_SLACK} for rounding).
     */
    public static boolean belowForSure(double bound, double discount, double threshold) {
        return bound * discount < threshold - BOUND_SLACK;
    }

    static String sortedChars(String key) {
        char[] chars = key.toCharArray();
        Arrays.sort(chars);
        return new String(chars);
    }
}
