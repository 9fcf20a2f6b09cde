package dev.marquee.jobs.compliance;

import dev.marquee.schema.Availability;
import dev.marquee.schema.ViolationReason;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Whether a play was entitled, decided from a title's availability history in one territory (the
 * versions of catalog.availability for that key, by effectiveFrom) at the play's own instant:
 *
 * <ol>
 *   <li>The version in force is the latest with {@code effectiveFrom <= at}. None: NO_RIGHT.
 *   <li>A version stops describing the title at its {@code until} (the next change it announced):
 *       past it, with no newer version, the state is the opposite (availability changes at each
 *       version).
 *   <li>Not available: WINDOW_CLOSED when a right is named (before its window, after it, or in an
 *       exception), NO_RIGHT otherwise.
 *   <li>Available but the rendition's format is not licensed: FORMAT_NOT_LICENSED. Formats: an
 *       empty list licenses any; a resolution (SD &lt; HD &lt; UHD) is covered by itself or any
 *       higher licensed resolution; HDR (and anything else) only when listed.
 * </ol>
 */
public final class EntitlementRule {
    private EntitlementRule() {}

    private static final List<String> RESOLUTIONS = List.of("SD", "HD", "UHD");

    /** The outcome for one play; {@code reason} is null when entitled. */
    public record Decision(ViolationReason reason, String missing, String lastRightId) {
        public boolean entitled() {
            return reason == null;
        }
    }

    public static Decision decide(
            NavigableMap<Long, Availability> history,
            String contentId,
            String territory,
            long at,
            String formatProfile) {
        Instant when = Instant.ofEpochMilli(at);
        Map.Entry<Long, Availability> entry = history.floorEntry(at);
        if (entry == null) {
            Map.Entry<Long, Availability> next = history.ceilingEntry(at);
            return new Decision(
                    ViolationReason.NO_RIGHT,
                    "no active right for "
                            + contentId
                            + " in "
                            + territory
                            + " at "
                            + when
                            + (next == null
                                    ? ": no right is known for this title there"
                                    : ": nothing is known before "
                                            + Instant.ofEpochMilli(next.getKey())),
                    null);
        }
        Availability v = entry.getValue();
        boolean available = v.getAvailable();
        boolean expired = v.getUntil() != null && at >= v.getUntil().toEpochMilli();
        if (expired) {
            available = !available;
        }
        String right = v.getRightId();
        if (!available) {
            if (expired) {
                return new Decision(
                        ViolationReason.WINDOW_CLOSED,
                        "no active right for "
                                + contentId
                                + " in "
                                + territory
                                + " at "
                                + when
                                + ": the window of "
                                + right
                                + " closed at "
                                + v.getUntil(),
                        right);
            }
            if (right != null) {
                return new Decision(
                        ViolationReason.WINDOW_CLOSED,
                        "no active right for "
                                + contentId
                                + " in "
                                + territory
                                + " at "
                                + when
                                + ": "
                                + right
                                + " is not in its window (unavailable since "
                                + v.getEffectiveFrom()
                                + (v.getUntil() == null ? "" : ", until " + v.getUntil())
                                + ")",
                        right);
            }
            return new Decision(
                    ViolationReason.NO_RIGHT,
                    "no active right for "
                            + contentId
                            + " in "
                            + territory
                            + " at "
                            + when
                            + " (unavailable since "
                            + v.getEffectiveFrom()
                            + ")",
                    null);
        }
        if (formatProfile != null && !licensed(v.getFormatProfiles(), formatProfile)) {
            return new Decision(
                    ViolationReason.FORMAT_NOT_LICENSED,
                    "a "
                            + formatProfile
                            + " right for "
                            + contentId
                            + " in "
                            + territory
                            + " at "
                            + when
                            + ": "
                            + right
                            + " licenses only "
                            + v.getFormatProfiles(),
                    right);
        }
        return new Decision(null, null, right);
    }

    /** Whether a list of licensed format profiles covers the format played. */
    public static boolean licensed(List<String> profiles, String played) {
        if (profiles == null || profiles.isEmpty()) {
            return true;
        }
        String p = played.toUpperCase(Locale.ROOT);
        int rank = RESOLUTIONS.indexOf(p);
        for (String licensed : profiles) {
            String l = licensed.toUpperCase(Locale.ROOT);
            if (l.equals(p)) {
                return true;
            }
            if (rank >= 0 && RESOLUTIONS.indexOf(l) >= rank) {
                return true;
            }
        }
        return false;
    }
}
