package dev.marquee.telemetry.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator's statistics, its incidents, and that a seed fixes its output. */
class TelemetrySimulatorTest {
    static final Instant START = Instant.parse("2026-11-20T18:00:00Z");
    static final Instant FROM = START.plus(Duration.ofMinutes(30));
    static final Instant TO = START.plus(Duration.ofMinutes(60));
    static final Instant PREMIERE = START.plus(Duration.ofMinutes(45));

    static List<PlaybackEvent> baseline;
    static List<PlaybackEvent> incidents;

    static TelemetrySimulator.Builder evening(long seed) {
        return TelemetrySimulator.builder()
                .seed(seed)
                .start(START)
                .duration(Duration.ofMinutes(90))
                .sessionsPerMinute(60)
                .titles(List.of("t-1", "t-2", "t-3", "t-4"))
                .territories(List.of("US", "DE", "JP", "BR"));
    }

    @BeforeAll
    static void simulate() {
        baseline = evening(7).build().stream().toList();
        incidents =
                evening(7)
                        .premiere("t-new", PREMIERE)
                        .incident(Incident.coldPop("fra1", FROM, TO))
                        .incident(Incident.slowLicense(FROM, TO, 250))
                        .incident(Incident.failingDevice(DeviceClass.MOBILE, FROM, TO))
                        .build()
                        .stream()
                        .toList();
    }

    @Test
    void eventsComeInNonDecreasingTimeWithinTheRange() {
        assertThat(baseline).hasSizeGreaterThan(10_000);
        for (int i = 1; i < baseline.size(); i++) {
            assertThat(baseline.get(i).getAt()).isAfterOrEqualTo(baseline.get(i - 1).getAt());
        }
        assertThat(baseline.get(0).getAt()).isAfterOrEqualTo(START);
        assertThat(baseline.get(baseline.size() - 1).getAt())
                .isBefore(START.plus(Duration.ofMinutes(90)));
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        List<PlaybackEvent> again = evening(7).build().stream().toList();
        List<PlaybackEvent> other = evening(8).build().stream().limit(1000).toList();

        assertThat(again).isEqualTo(baseline);
        assertThat(other).isNotEqualTo(baseline.subList(0, 1000));
    }

    @Test
    void everySessionStartsThenGetsALicenseThenAFirstFrameOrAStartFailure() {
        Map<String, List<PlaybackEventType>> sessions = new HashMap<>();
        for (PlaybackEvent e : baseline) {
            sessions.computeIfAbsent(e.getSessionId(), k -> new ArrayList<>())
                    .add(e.getEventType());
        }
        for (List<PlaybackEventType> types : sessions.values()) {
            assertThat(types.get(0)).isEqualTo(PlaybackEventType.START);
            if (types.size() > 1) {
                assertThat(types.get(1)).isEqualTo(PlaybackEventType.LICENSE_REQUEST);
            }
            if (types.size() > 2) {
                assertThat(types.get(2))
                        .isIn(PlaybackEventType.FIRST_FRAME, PlaybackEventType.START_FAILURE);
            }
            assertThat(types.subList(1, types.size())).doesNotContain(PlaybackEventType.START);
            int terminal = Math.max(types.indexOf(PlaybackEventType.END), -1);
            if (terminal >= 0) {
                assertThat(terminal).isEqualTo(types.size() - 1);
            }
        }
        long ended =
                sessions.values().stream().filter(t -> t.contains(PlaybackEventType.END)).count();
        assertThat(ended).isGreaterThan(sessions.size() / 10);
    }

    @Test
    void normalOperationMeetsTheTargets() {
        double hit = hitRatio(baseline, e -> true);
        double p95 = licenseP95(baseline, e -> true);
        double startSuccess = 1 - startFailureRate(baseline, e -> true);

        assertThat(hit).isBetween(0.95, 0.99);
        assertThat(p95).isBetween(40.0, 90.0);
        assertThat(startSuccess).isGreaterThan(0.998);
    }

    @Test
    void aColdPopHasALowHitRatioInItsRangeOnly() {
        double inRange = hitRatio(incidents, e -> "fra1".equals(e.getPop()) && in(e));
        double outside = hitRatio(incidents, e -> "fra1".equals(e.getPop()) && !in(e));
        double otherPops = hitRatio(incidents, e -> !"fra1".equals(e.getPop()) && in(e));

        assertThat(inRange).isBetween(0.45, 0.65);
        assertThat(outside).isGreaterThan(0.94);
        assertThat(otherPops).isGreaterThan(0.95);
    }

    @Test
    void aSlowLicenseServerHasItsP95InItsRange() {
        double inRange = licenseP95(incidents, TelemetrySimulatorTest::in);
        double before = licenseP95(incidents, e -> e.getAt().isBefore(FROM));

        assertThat(inRange).isBetween(200.0, 300.0);
        assertThat(before).isLessThan(100.0);
    }

    @Test
    void aFailingDeviceClassFailsToStartInItsRange() {
        double failing =
                startFailureRate(incidents, e -> e.getDeviceClass() == DeviceClass.MOBILE && in(e));
        double others =
                startFailureRate(incidents, e -> e.getDeviceClass() != DeviceClass.MOBILE && in(e));
        double before =
                startFailureRate(
                        incidents,
                        e -> e.getDeviceClass() == DeviceClass.MOBILE && e.getAt().isBefore(FROM));

        assertThat(failing).isBetween(0.25, 0.45);
        assertThat(others).isLessThan(0.01);
        assertThat(before).isLessThan(0.01);
    }

    @Test
    void aPremiereHasNoPlaysBeforeItsWindowThenASpike() {
        List<Instant> starts =
                incidents.stream()
                        .filter(e -> e.getEventType() == PlaybackEventType.START)
                        .filter(e -> e.getContentId().equals("t-new"))
                        .map(PlaybackEvent::getAt)
                        .toList();
        long firstTen =
                starts.stream().filter(at -> at.isBefore(PREMIERE.plusSeconds(600))).count();
        long peak =
                starts.stream()
                        .filter(at -> !at.isBefore(PREMIERE.plusSeconds(600)))
                        .filter(at -> at.isBefore(PREMIERE.plusSeconds(1200)))
                        .count();
        long topTitleSameTime =
                incidents.stream()
                        .filter(e -> e.getEventType() == PlaybackEventType.START)
                        .filter(e -> e.getContentId().equals("t-1"))
                        .filter(e -> !e.getAt().isBefore(PREMIERE.plusSeconds(600)))
                        .filter(e -> e.getAt().isBefore(PREMIERE.plusSeconds(1200)))
                        .count();

        assertThat(starts).allMatch(at -> !at.isBefore(PREMIERE));
        assertThat(firstTen).isPositive();
        assertThat(peak).isGreaterThan(firstTen).isGreaterThan(topTitleSameTime);
    }

    @Test
    void sessionsCarryAllTheirDimensions() {
        Set<String> pops = new HashSet<>();
        for (PlaybackEvent e : baseline) {
            assertThat(e.getSessionId()).hasSize(36);
            assertThat(e.getTerritory()).isIn("US", "DE", "JP", "BR");
            assertThat(e.getCdn()).isIn("cdn-a", "cdn-b");
            assertThat(TelemetrySimulator.popsOf(e.getTerritory())).contains(e.getPop());
            assertThat(e.getFormatProfile()).isIn("SD", "HD", "UHD", "HDR");
            assertThat(e.getPlayerState()).isNotNull();
            pops.add(e.getPop());
        }
        assertThat(pops).contains("fra1", "iad1", "nrt1", "gru1");
    }

    static boolean in(PlaybackEvent e) {
        return !e.getAt().isBefore(FROM) && e.getAt().isBefore(TO);
    }

    static double hitRatio(List<PlaybackEvent> events, Predicate<PlaybackEvent> which) {
        long hits = 0;
        long total = 0;
        for (PlaybackEvent e : events) {
            if (e.getEventType() == PlaybackEventType.SEGMENT && which.test(e)) {
                total++;
                hits += Boolean.TRUE.equals(e.getCacheHit()) ? 1 : 0;
            }
        }
        assertThat(total).as("segments measured").isGreaterThan(200);
        return (double) hits / total;
    }

    static double licenseP95(List<PlaybackEvent> events, Predicate<PlaybackEvent> which) {
        List<Integer> latencies = new ArrayList<>();
        for (PlaybackEvent e : events) {
            if (e.getEventType() == PlaybackEventType.LICENSE_REQUEST && which.test(e)) {
                latencies.add(e.getLicenseLatencyMs());
            }
        }
        assertThat(latencies).as("license requests measured").hasSizeGreaterThan(200);
        Collections.sort(latencies);
        return latencies.get((int) Math.ceil(0.95 * latencies.size()) - 1);
    }

    /** Start failures per session started (by the START event's time). */
    static double startFailureRate(List<PlaybackEvent> events, Predicate<PlaybackEvent> which) {
        Set<String> started = new HashSet<>();
        long failed = 0;
        for (PlaybackEvent e : events) {
            if (e.getEventType() == PlaybackEventType.START && which.test(e)) {
                started.add(e.getSessionId());
            } else if (e.getEventType() == PlaybackEventType.START_FAILURE
                    && started.contains(e.getSessionId())) {
                failed++;
            }
        }
        assertThat(started).as("sessions measured").hasSizeGreaterThan(100);
        return (double) failed / started.size();
    }
}
