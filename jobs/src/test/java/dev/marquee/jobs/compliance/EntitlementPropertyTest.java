package dev.marquee.jobs.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.Availability;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.ViolationReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * The join against a brute force: for random availability histories of one title and territory,
 * random playback starts, and a random arrival order within the out-of-orderness bound (watermarks
 * following the bounded-out-of-orderness rule), every play's outcome equals the one found by
 * scanning the whole history by hand for the version in force at the play's instant.
 */
class EntitlementPropertyTest {
    static final Instant BASE = Instant.parse("2028-03-15T00:00:00Z");
    static final long OOO = Duration.ofMinutes(5).toMillis();
    static final Duration RETENTION = Duration.ofMinutes(10);
    static final List<String> FORMATS = List.of("SD", "HD", "UHD", "HDR");

    record Arrival(long ts, long key, Object element) {}

    @Property(tries = 300)
    void everyPlayIsJudgedAsTheBruteForceSays(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 8) int versions,
            @ForAll @IntRange(min = 1, max = 40) int plays)
            throws Exception {
        Random random = new Random(seed);
        List<Availability> history = new ArrayList<>();
        long t = BASE.toEpochMilli();
        boolean available = random.nextBoolean();
        for (int i = 0; i < versions; i++) {
            long from = t;
            t += Duration.ofMinutes(1 + random.nextInt(120)).toMillis();
            boolean last = i == versions - 1;
            Instant until = last && random.nextBoolean() ? null : Instant.ofEpochMilli(t);
            List<String> formats = new ArrayList<>();
            for (String f : FORMATS) {
                if (random.nextInt(3) == 0) {
                    formats.add(f);
                }
            }
            history.add(
                    Availabilities.version(
                            Instant.ofEpochMilli(from),
                            available,
                            until,
                            random.nextInt(4) == 0 ? null : "r-" + random.nextInt(3),
                            formats));
            available = !available;
        }
        long span = t - BASE.toEpochMilli();
        List<PlaybackEvent> starts = new ArrayList<>();
        for (int i = 0; i < plays; i++) {
            long at =
                    BASE.toEpochMilli()
                            - Duration.ofMinutes(60).toMillis()
                            + (long)
                                    (random.nextDouble() * (span + Duration.ofHours(2).toMillis()));
            String format = random.nextInt(5) == 0 ? null : FORMATS.get(random.nextInt(4));
            starts.add(Availabilities.start("s" + i, Instant.ofEpochMilli(at), format));
        }

        List<Arrival> arrivals = new ArrayList<>();
        history.forEach(
                a -> {
                    long ts = a.getEffectiveFrom().toEpochMilli();
                    arrivals.add(new Arrival(ts, ts + (long) (random.nextDouble() * OOO), a));
                });
        starts.forEach(
                p -> {
                    long ts = p.getAt().toEpochMilli();
                    arrivals.add(new Arrival(ts, ts + (long) (random.nextDouble() * OOO), p));
                });
        arrivals.sort(Comparator.comparingLong(Arrival::key));

        Map<String, ViolationReason> judged = new HashMap<>();
        try (var h = EntitlementCheckTest.harness()) {
            long maxSeen = Long.MIN_VALUE;
            for (Arrival a : arrivals) {
                if (a.element() instanceof Availability v) {
                    h.processElement2(v, a.ts());
                } else {
                    h.processElement1((PlaybackEvent) a.element(), a.ts());
                }
                maxSeen = Math.max(maxSeen, a.ts());
                h.processBothWatermarks(new Watermark(maxSeen - OOO - 1));
            }
            h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
            for (ComplianceViolation v : h.extractOutputValues()) {
                assertThat(judged.put(v.getSessionId(), v.getReason()))
                        .as("judged once: " + v.getSessionId())
                        .isNull();
            }
            assertThat(h.getSideOutput(EntitlementCheck.LATE)).isNullOrEmpty();
        }

        for (PlaybackEvent p : starts) {
            Set<ViolationReason> allowed = bruteForce(history, p);
            ViolationReason got = judged.get(p.getSessionId());
            assertThat(allowed)
                    .as(
                            "%s at %s (%s) against %s",
                            p.getSessionId(), p.getAt(), p.getFormatProfile(), history)
                    .contains(got);
        }
    }

    /**
     * The outcomes a play may have (null = entitled), by a linear scan of the whole history. Two
     * are allowed only where the job forgets a closed title's reason after the retention: the play
     * is a violation either way.
     */
    static Set<ViolationReason> bruteForce(List<Availability> history, PlaybackEvent play) {
        long at = play.getAt().toEpochMilli();
        Availability inForce = null;
        for (Availability v : history) {
            if (v.getEffectiveFrom().toEpochMilli() <= at
                    && (inForce == null
                            || v.getEffectiveFrom().isAfter(inForce.getEffectiveFrom()))) {
                inForce = v;
            }
        }
        if (inForce == null) {
            return Set.of(ViolationReason.NO_RIGHT);
        }
        boolean expired = inForce.getUntil() != null && at >= inForce.getUntil().toEpochMilli();
        boolean playable = expired != inForce.getAvailable();
        if (!playable) {
            ViolationReason reason =
                    expired || inForce.getRightId() != null
                            ? ViolationReason.WINDOW_CLOSED
                            : ViolationReason.NO_RIGHT;
            boolean forgettable =
                    inForce.getUntil() == null
                            && at
                                    >= inForce.getEffectiveFrom().toEpochMilli()
                                            + RETENTION.toMillis();
            return forgettable
                    ? java.util.EnumSet.of(reason, ViolationReason.NO_RIGHT)
                    : Set.of(reason);
        }
        String f = play.getFormatProfile();
        List<String> licensed = inForce.getFormatProfiles();
        boolean ok =
                f == null
                        || licensed.isEmpty()
                        || licensed.contains(f)
                        || (f.equals("SD") && (licensed.contains("HD") || licensed.contains("UHD")))
                        || (f.equals("HD") && licensed.contains("UHD"));
        return ok ? nullSet() : Set.of(ViolationReason.FORMAT_NOT_LICENSED);
    }

    private static Set<ViolationReason> nullSet() {
        Set<ViolationReason> entitled = new java.util.HashSet<>();
        entitled.add(null);
        return entitled;
    }
}
