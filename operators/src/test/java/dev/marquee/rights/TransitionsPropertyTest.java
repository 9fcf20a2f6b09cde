package dev.marquee.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.rights.RightsEvaluator.Decision;
import dev.marquee.rights.RightsEvaluator.Transition;
import dev.marquee.rights.RightsEvaluator.TransitionKind;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For random rights (all three time forms, exceptions, exclusions, revocations) and random
 * countries, {@code evaluate()} agrees with {@code transitions()}: availability flips at each
 * transition exactly as it says, and between transitions it is what the last one said.
 */
class TransitionsPropertyTest {
    private static final Instant BASE = Instant.parse("2028-01-01T00:00:00Z");
    private static final long SPAN_HOURS = 24 * 400;
    private static final List<String> COUNTRIES = List.of("JP", "US", "GB", "FR", "RU", "AU", "BR");
    private static final List<String> CODES =
            List.of("JP", "US", "GB", "FR", "RU", "AU", "BR", "150", "419", "EU", "ZZ", "009");

    @Provide
    Arbitrary<String> time() {
        Arbitrary<Long> hours = Arbitraries.longs().between(0, SPAN_HOURS);
        Arbitrary<Integer> form = Arbitraries.integers().between(0, 2);
        return Combinators.combine(hours, form)
                .as(
                        (h, f) -> {
                            LocalDateTime local =
                                    LocalDateTime.ofInstant(
                                            BASE.plusSeconds(h * 3600 + 1800), ZoneOffset.UTC);
                            return switch (f) {
                                case 0 -> local.toInstant(ZoneOffset.UTC).toString();
                                case 1 -> local.toString();
                                default -> local.toLocalDate().toString();
                            };
                        });
    }

    @Provide
    Arbitrary<Rights> rights() {
        Arbitrary<String> code = Arbitraries.of(CODES);
        Arbitrary<Rights> base =
                Combinators.combine(
                                Arbitraries.strings().withCharRange('a', 'e').ofLength(1),
                                code.list().ofMinSize(1).ofMaxSize(3),
                                time(),
                                time().injectNull(0.3),
                                Arbitraries.of("JP", "GB", "BR").list().ofMaxSize(1),
                                Arbitraries.integers().between(0, 9))
                        .as(
                                (id, territories, start, end, excluded, flags) -> {
                                    String s = start;
                                    String e = end;
                                    if (e != null
                                            && RightTime.parse(e)
                                                    .asExclusiveEnd()
                                                    .latest()
                                                    .isBefore(
                                                            RightTime.parse(s)
                                                                    .earliest()
                                                                    .plusSeconds(3600))) {
                                        e = null; // keep rights valid: end after start everywhere
                                    }
                                    Rights r =
                                            Rights.right(
                                                            "r-" + id,
                                                            "c",
                                                            s,
                                                            territories.toArray(String[]::new))
                                                    .excluding(excluded.toArray(String[]::new))
                                                    .end(e);
                                    if (flags == 0) {
                                        r.revoked();
                                    }
                                    return r;
                                });
        Arbitrary<List<String[]>> exceptions =
                Combinators.combine(
                                Arbitraries.of(
                                        "embargo", "blackout", "festival", "censorship-edit"),
                                time(),
                                Arbitraries.integers().between(1, 24 * 20),
                                Arbitraries.of("", "JP", "US", "150", "ZZ"))
                        .as(
                                (type, start, hours, terr) ->
                                        new String[] {type, start, String.valueOf(hours), terr})
                        .list()
                        .ofMaxSize(3);
        return Combinators.combine(base, exceptions)
                .as(
                        (r, exs) -> {
                            for (String[] ex : exs) {
                                RightTime start = RightTime.parse(ex[1]);
                                Instant s = start.at(ZoneOffset.UTC);
                                String end = s.plusSeconds(Long.parseLong(ex[2]) * 3600).toString();
                                if (start instanceof RightTime.OnDate) {
                                    end = end.substring(0, 10);
                                }
                                if (start instanceof RightTime.AtLocalDateTime) {
                                    end = end.substring(0, 19);
                                }
                                if (ex[3].isEmpty()) {
                                    r.exception(ex[0], ex[1], end);
                                } else {
                                    r.exception(ex[0], ex[1], end, ex[3]);
                                }
                            }
                            return r;
                        });
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.MIXIN)
    void evaluateAgreesWithTransitions(
            @ForAll("rightsList") List<Rights> rights,
            @ForAll("countryIndex") int country,
            @ForAll @IntRange(min = 0, max = 1000) int probeSeed) {
        RightsEvaluator evaluator = new RightsEvaluator();
        for (Rights r : rights) {
            if (RightValidator.problems(r.build()).isEmpty()) {
                evaluator.accept(r.build());
            }
        }
        String territory = COUNTRIES.get(country);
        Instant from = BASE.minusSeconds(3 * 86400);
        Instant to = BASE.plusSeconds((SPAN_HOURS + 24 * 30) * 3600);
        List<Transition> transitions = evaluator.transitions("c", territory, from, to);

        boolean state = evaluator.evaluate("c", territory, from).available();
        Instant previous = from;
        for (Transition tr : transitions) {
            assertThat(tr.at()).isAfter(previous);
            boolean before = evaluator.evaluate("c", territory, tr.at().minusNanos(1)).available();
            Decision at = evaluator.evaluate("c", territory, tr.at());
            boolean opens =
                    tr.kind() == TransitionKind.OPENED || tr.kind() == TransitionKind.RESUMED;
            assertThat(before).as("before %s", tr).isEqualTo(state).isEqualTo(!opens);
            assertThat(at.available()).as("at %s", tr).isEqualTo(opens);
            if (tr.kind() == TransitionKind.SUSPENDED) {
                assertThat(at.reason()).isEqualTo(RightsEvaluator.Reason.SUSPENDED);
            }
            assertThat(tr.rightId()).isNotNull();
            state = opens;
            previous = tr.at();
        }
        // random probes: availability is what the last transition before the probe said
        java.util.Random random = new java.util.Random(probeSeed);
        long span = to.getEpochSecond() - from.getEpochSecond();
        for (int i = 0; i < 200; i++) {
            Instant probe = from.plusSeconds((long) (random.nextDouble() * span));
            boolean expected = evaluator.evaluate("c", territory, from).available();
            for (Transition tr : transitions) {
                if (!tr.at().isAfter(probe)) {
                    expected =
                            tr.kind() == TransitionKind.OPENED
                                    || tr.kind() == TransitionKind.RESUMED;
                }
            }
            assertThat(evaluator.evaluate("c", territory, probe).available())
                    .as("probe %s", probe)
                    .isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<List<Rights>> rightsList() {
        return rights().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Integer> countryIndex() {
        return Arbitraries.integers().between(0, COUNTRIES.size() - 1);
    }
}
