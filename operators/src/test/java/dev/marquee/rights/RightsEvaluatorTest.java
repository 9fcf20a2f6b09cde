package dev.marquee.rights;

import static dev.marquee.rights.Rights.right;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.rights.RightsEvaluator.Decision;
import dev.marquee.rights.RightsEvaluator.Outcome;
import dev.marquee.rights.RightsEvaluator.Reason;
import dev.marquee.rights.RightsEvaluator.Transition;
import dev.marquee.rights.RightsEvaluator.TransitionKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RightsEvaluatorTest {

    private static Instant t(String instant) {
        return Instant.parse(instant);
    }

    private static RightsEvaluator with(Rights... rights) {
        RightsEvaluator e = new RightsEvaluator();
        for (Rights r : rights) {
            e.accept(r.build());
        }
        return e;
    }

    @Test
    void startIsInclusiveAndInstantEndExclusive() {
        RightsEvaluator e =
                with(right("r", "c", "2028-03-15T00:00:00Z", "US").end("2031-03-15T00:00:00Z"));
        assertThat(e.evaluate("c", "US", t("2028-03-14T23:59:59.999999999Z")).available())
                .isFalse();
        assertThat(e.evaluate("c", "US", t("2028-03-15T00:00:00Z")))
                .isEqualTo(new Decision(true, "r", Reason.IN_WINDOW));
        assertThat(e.evaluate("c", "US", t("2031-03-14T23:59:59.999999999Z")).available()).isTrue();
        assertThat(e.evaluate("c", "US", t("2031-03-15T00:00:00Z")))
                .isEqualTo(new Decision(false, "r", Reason.CLOSED));
    }

    @Test
    void dateEndIncludesTheLocalDay() {
        RightsEvaluator e = with(right("r", "c", "2028-01-01", "JP").end("2028-01-31"));
        assertThat(e.evaluate("c", "JP", t("2027-12-31T14:59:59Z")).available()).isFalse();
        assertThat(e.evaluate("c", "JP", t("2027-12-31T15:00:00Z")).available()).isTrue();
        assertThat(e.evaluate("c", "JP", t("2028-01-31T14:59:59Z")).available()).isTrue();
        assertThat(e.evaluate("c", "JP", t("2028-01-31T15:00:00Z")).available()).isFalse();
    }

    @Test
    void unknownOrRegionTerritoryInAQueryIsAnError() {
        RightsEvaluator e = with(right("r", "c", "2028-01-01", "US"));
        assertThatThrownBy(() -> e.evaluate("c", "XX", t("2028-06-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown territory code 'XX'");
        assertThatThrownBy(() -> e.evaluate("c", "us", t("2028-06-01T00:00:00Z")))
                .hasMessageContaining("upper case");
        assertThatThrownBy(() -> e.evaluate("c", "419", t("2028-06-01T00:00:00Z")))
                .hasMessageContaining("is a region");
        assertThatThrownBy(() -> e.evaluate("c", null, t("2028-06-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
        // also for a title without rights: the query itself is wrong
        assertThatThrownBy(() -> e.evaluate("nothing", "XX", t("2028-06-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedRightIsRefusedWithEveryProblem() {
        RightsEvaluator e = new RightsEvaluator();
        assertThatThrownBy(() -> e.accept(right("r", "c", "soon", "USA").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("territory")
                .hasMessageContaining("windowStart");
        assertThat(e.size()).isZero();
    }

    @Test
    void revisionsHigherReplacesEqualDuplicateLowerStale() {
        RightsEvaluator e = new RightsEvaluator();
        assertThat(e.accept(right("r", "c", "2028-01-01T00:00:00Z", "US").build()))
                .isEqualTo(Outcome.APPLIED);
        assertThat(e.accept(right("r", "c", "2028-01-01T00:00:00Z", "GB").revision(1).build()))
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(e.accept(right("r", "c", "2028-01-01T00:00:00Z", "FR").revision(3).build()))
                .isEqualTo(Outcome.APPLIED);
        assertThat(e.accept(right("r", "c", "2028-01-01T00:00:00Z", "DE").revision(2).build()))
                .isEqualTo(Outcome.STALE);
        Instant at = t("2028-06-01T00:00:00Z");
        assertThat(e.evaluate("c", "FR", at).available()).isTrue();
        assertThat(e.evaluate("c", "US", at).available()).isFalse();
        assertThat(e.evaluate("c", "DE", at).available()).isFalse();
        assertThat(e.revisionOf("r")).isEqualTo(3);
        assertThat(e.size()).isEqualTo(1);
    }

    @Test
    void revisionMayMoveARightToAnotherTitle() {
        RightsEvaluator e =
                with(
                        right("r", "c1", "2028-01-01T00:00:00Z", "US"),
                        right("r", "c2", "2028-01-01T00:00:00Z", "US").revision(2));
        Instant at = t("2028-06-01T00:00:00Z");
        assertThat(e.evaluate("c1", "US", at).reason()).isEqualTo(Reason.NO_RIGHTS);
        assertThat(e.evaluate("c2", "US", at).available()).isTrue();
    }

    @Test
    void revokedGrantsNothingAndAHigherRevisionMayRegrant() {
        RightsEvaluator e =
                with(
                        right("r", "c", "2028-01-01T00:00:00Z", "US"),
                        right("r", "c", "2028-01-01T00:00:00Z", "US").revision(2).revoked());
        Instant at = t("2028-06-01T00:00:00Z");
        assertThat(e.evaluate("c", "US", at)).isEqualTo(new Decision(false, "r", Reason.REVOKED));
        e.accept(right("r", "c", "2028-01-01T00:00:00Z", "US").revision(3).build());
        assertThat(e.evaluate("c", "US", at).available()).isTrue();
    }

    @Test
    void regionsExclusionsEuAndWorldwide() {
        RightsEvaluator e =
                with(
                        right("latam", "c", "2028-01-01T00:00:00Z", "419").excluding("BR"),
                        right("eu", "d", "2028-01-01T00:00:00Z", "EU"),
                        right("ww", "w", "2028-01-01T00:00:00Z", "ZZ").excluding("150"));
        Instant at = t("2028-06-01T00:00:00Z");
        assertThat(e.evaluate("c", "MX", at).available()).isTrue();
        assertThat(e.evaluate("c", "BR", at).reason()).isEqualTo(Reason.EXCLUDED);
        assertThat(e.evaluate("c", "CA", at).reason()).isEqualTo(Reason.NOT_COVERED);
        assertThat(e.evaluate("d", "AT", at).available()).isTrue();
        assertThat(e.evaluate("d", "CH", at).available()).isFalse();
        assertThat(e.evaluate("w", "AU", at).available()).isTrue();
        assertThat(e.evaluate("w", "FR", at).reason()).isEqualTo(Reason.EXCLUDED);
    }

    @Test
    void exceptionWithoutTerritoryCoversAllTheRightsTerritoriesAndDateEndIsInclusive() {
        RightsEvaluator e =
                with(
                        right("r", "c", "2028-01-01T00:00:00Z", "GB", "FR")
                                .exception("EMBARGO", "2028-02-01", "2028-02-02"));
        // FR is CET (UTC+1): 2028-02-01 local midnight = 2028-01-31T23:00Z, end = 02-02T23:00Z
        assertThat(e.evaluate("c", "FR", t("2028-01-31T22:59:59Z")).available()).isTrue();
        assertThat(e.evaluate("c", "FR", t("2028-01-31T23:00:00Z")))
                .isEqualTo(new Decision(false, "r", Reason.SUSPENDED));
        assertThat(e.evaluate("c", "FR", t("2028-02-02T22:59:59Z")).available()).isFalse();
        assertThat(e.evaluate("c", "FR", t("2028-02-02T23:00:00Z")).available()).isTrue();
        assertThat(e.evaluate("c", "GB", t("2028-02-02T23:30:00Z")).available()).isFalse();
        assertThat(e.evaluate("c", "GB", t("2028-02-03T00:00:00Z")).available()).isTrue();
    }

    @Test
    void informationalExceptionsDoNotSuspend() {
        RightsEvaluator e =
                with(
                        right("r", "c", "2028-01-01T00:00:00Z", "GB")
                                .exception("censorship-edit", "2028-02-01", "2028-02-02"));
        assertThat(e.evaluate("c", "GB", t("2028-02-01T12:00:00Z")).available()).isTrue();
    }

    @Test
    void multiZoneCountryOpensWhenTheLastZoneOpensAndClosesWhenTheFirstCloses() {
        RightsEvaluator e = with(right("r", "c", "2028-06-01", "RU").end("2028-06-30"));
        // Kaliningrad (UTC+2) reaches June 1 last; Kamchatka (UTC+12) reaches July 1 first
        assertThat(e.evaluate("c", "RU", t("2028-05-31T21:59:59Z")).available()).isFalse();
        assertThat(e.evaluate("c", "RU", t("2028-05-31T22:00:00Z")).available()).isTrue();
        assertThat(e.evaluate("c", "RU", t("2028-06-30T11:59:59Z")).available()).isTrue();
        assertThat(e.evaluate("c", "RU", t("2028-06-30T12:00:00Z")).available()).isFalse();
    }

    @Test
    void exceptionInAMultiZoneCountryCoversEveryZonesLocalPeriod() {
        RightsEvaluator e =
                with(
                        right("r", "c", "2028-01-01T00:00:00Z", "US")
                                .exception("blackout", "2028-07-04", "2028-07-04"));
        // starts at midnight July 4 in New York (04:00Z), ends at midnight July 5 in Honolulu
        assertThat(e.evaluate("c", "US", t("2028-07-04T03:59:59Z")).available()).isTrue();
        assertThat(e.evaluate("c", "US", t("2028-07-04T04:00:00Z")).available()).isFalse();
        assertThat(e.evaluate("c", "US", t("2028-07-05T09:59:59Z")).available()).isFalse();
        assertThat(e.evaluate("c", "US", t("2028-07-05T10:00:00Z")).available()).isTrue();
    }

    @Test
    void overlappingRightsDecideDeterministically() {
        RightsEvaluator e =
                with(
                        right("b", "c", "2028-01-01T00:00:00Z", "US"),
                        right("a", "c", "2028-01-01T00:00:00Z", "US").end("2028-06-01T00:00:00Z"));
        assertThat(e.evaluate("c", "US", t("2028-03-01T00:00:00Z")).decidingRightId())
                .isEqualTo("a");
        assertThat(e.evaluate("c", "US", t("2028-07-01T00:00:00Z")).decidingRightId())
                .isEqualTo("b");
    }

    @Test
    void unavailableReasonPrefersTheMostSpecific() {
        RightsEvaluator e =
                with(
                        right("closed", "c", "2027-01-01T00:00:00Z", "US")
                                .end("2027-06-01T00:00:00Z"),
                        right("later", "c", "2029-01-01T00:00:00Z", "US"),
                        right("gone", "c", "2027-01-01T00:00:00Z", "US").revoked());
        assertThat(e.evaluate("c", "US", t("2028-01-01T00:00:00Z")))
                .isEqualTo(new Decision(false, "later", Reason.NOT_YET_OPEN));
    }

    @Test
    void transitionsListOpenSuspendResumeClose() {
        RightsEvaluator e =
                with(
                        right("r", "c", "2028-03-15T00:00:00Z", "JP")
                                .end("2031-03-15T00:00:00Z")
                                .exception("festival", "2028-04-01", "2028-04-10", "JP")
                                .exception("festival", "2028-03-01", "2028-03-10", "JP"));
        List<Transition> ts =
                e.transitions("c", "JP", t("2028-01-01T00:00:00Z"), t("2032-01-01T00:00:00Z"));
        assertThat(ts)
                .containsExactly(
                        new Transition(t("2028-03-15T00:00:00Z"), TransitionKind.OPENED, "r"),
                        new Transition(t("2028-03-31T15:00:00Z"), TransitionKind.SUSPENDED, "r"),
                        new Transition(t("2028-04-10T15:00:00Z"), TransitionKind.RESUMED, "r"),
                        new Transition(t("2031-03-15T00:00:00Z"), TransitionKind.CLOSED, "r"));
        // (from, to]: a transition at 'from' is already reflected in evaluate(from)
        assertThat(e.transitions("c", "JP", t("2028-03-15T00:00:00Z"), t("2028-03-31T15:00:00Z")))
                .extracting(Transition::kind)
                .containsExactly(TransitionKind.SUSPENDED);
    }

    @Test
    void transitionsSkipHandOversBetweenOverlappingRights() {
        RightsEvaluator e =
                with(
                        right("a", "c", "2028-01-01T00:00:00Z", "US").end("2028-06-01T00:00:00Z"),
                        right("b", "c", "2028-05-01T00:00:00Z", "US").end("2028-09-01T00:00:00Z"));
        assertThat(e.transitions("c", "US", t("2027-01-01T00:00:00Z"), t("2029-01-01T00:00:00Z")))
                .containsExactly(
                        new Transition(t("2028-01-01T00:00:00Z"), TransitionKind.OPENED, "a"),
                        new Transition(t("2028-09-01T00:00:00Z"), TransitionKind.CLOSED, "b"));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        RightsEvaluator e =
                with(
                        right("r", "c", "2028-06-01", "JP", "US")
                                .exception("blackout", "2028-06-10", "2028-06-11"));
        Instant at = t("2028-06-05T00:00:00Z");
        assertThat(e.evaluate("c", "JP", at).available()).isTrue(); // fills the cache
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        RightsEvaluator copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RightsEvaluator) in.readObject();
        }
        assertThat(copy.evaluate("c", "JP", at)).isEqualTo(e.evaluate("c", "JP", at));
        assertThat(copy.evaluate("c", "US", t("2028-06-10T12:00:00Z")).available()).isFalse();
    }
}
