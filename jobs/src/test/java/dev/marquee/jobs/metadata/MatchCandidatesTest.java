package dev.marquee.jobs.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.metadata.TitleMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The in-memory candidates leave out nothing {@link TitleMatcher#related} would relate: for any set
 * of stored profiles (some without year or runtime, some with several title keys), after any
 * removals, every stored profile related to a probe is handed on, and only stored ones are.
 */
class MatchCandidatesTest {

    @Property(tries = 500)
    void everyRelatedRecordIsHandedOn(
            @ForAll @Size(max = 60) List<TitleMatcher.@From("profiles") Profile> stored,
            @ForAll("profiles") TitleMatcher.Profile probe,
            @ForAll @Size(max = 20) List<Integer> removals) {
        MatchCandidates candidates = new MatchCandidates();
        Map<String, TitleMatcher.Profile> expected = new TreeMap<>();
        for (int i = 0; i < stored.size(); i++) {
            candidates.put("r" + i, stored.get(i));
            expected.put("r" + i, stored.get(i));
        }
        for (Integer r : removals) {
            String key = "r" + Math.floorMod(r, Math.max(1, stored.size()));
            candidates.remove(key);
            expected.remove(key);
        }
        Set<String> seen = new HashSet<>();
        candidates.forEachPossiblyRelated(
                probe,
                (key, p) -> {
                    assertThat(p).isSameAs(expected.get(key));
                    seen.add(key);
                });
        for (var e : expected.entrySet()) {
            assertThat(candidates.profile(e.getKey())).isEqualTo(e.getValue());
            if (TitleMatcher.related(probe, e.getValue()).isPresent()) {
                assertThat(seen).as("%s for %s", e.getValue(), probe).contains(e.getKey());
            }
        }
    }

    /** Keys from a small alphabet (so similar pairs are common) and a few real titles. */
    @Provide
    Arbitrary<TitleMatcher.Profile> profiles() {
        Arbitrary<String> random =
                Arbitraries.strings().withChars("abde 1").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> known =
                Arbitraries.of(
                        "harbour lights", "harbor lights redux", "harbor lights", "dune", "dun");
        Arbitrary<String> key = Arbitraries.oneOf(random, known);
        Arbitrary<List<String>> keys = key.list().ofMinSize(1).ofMaxSize(3).uniqueElements();
        Arbitrary<Integer> year = Arbitraries.integers().between(1999, 2003).injectNull(0.1);
        Arbitrary<Integer> runtime = Arbitraries.integers().between(1, 60).injectNull(0.2);
        return Combinators.combine(keys, year, runtime)
                .as((k, y, r) -> new TitleMatcher.Profile(k.stream().sorted().toList(), y, r));
    }
}
