package dev.marquee.rights;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The time zones of each country, and the instant at which a local time (a date or a local
 * date-time of a right) happens there.
 *
 * <p>Zones come from tzdata's {@code zone.tab} (embedded as {@code zones.csv}); their rules
 * (offsets, DST) are java.time's own. Countries with no zone in tzdata (Bouvet Island, Heard and
 * McDonald Islands) get the two extreme offsets UTC-12 and UTC+14, which with the rule below is
 * always safe.
 *
 * <p><b>Countries with several zones (US, CA, RU, AU, BR, MX, ID, KZ, ...).</b> No single zone is
 * legally safe for both ends of a window: a window must never open early nor close late anywhere in
 * the country. So a local time is resolved against <em>every</em> zone of the country:
 *
 * <ul>
 *   <li>a <b>window start</b> happens when it has happened in all zones: the <em>latest</em> of the
 *       zones' instants (the zone where local midnight comes last, e.g. Hawaii/Adak for the US,
 *       Kaliningrad for Russia);
 *   <li>a <b>window end</b> happens as soon as it happens in any zone: the <em>earliest</em>
 *       instant (e.g. New York for the US, Kamchatka/Anadyr for Russia);
 *   <li>an <b>exception</b> (embargo, blackout, festival) suspends from the earliest of its starts
 *       to the latest of its ends, so it covers its local period in every zone.
 * </ul>
 *
 * In words: a title is available in a country only at instants when it is available in each of the
 * country's zones. Which zone is "last" can change with DST, so this is computed per local time,
 * never fixed per country. Instants (times with Z or an offset) are the same everywhere.
 *
 * <p><b>Gaps and overlaps.</b> A local time names the first instant at which the local clock shows
 * that time or later: a time skipped by a spring-forward gap resolves to the instant of the
 * transition (02:30 on the US change day is 03:00 daylight time, 07:00Z in New York); a time
 * repeated by a fall-back overlap resolves to its first occurrence (the daylight-time one).
 */
public final class TerritoryZones {
    private TerritoryZones() {}

    private static final List<ZoneId> UNKNOWN_ZONES =
            List.of(ZoneId.of("Etc/GMT+12"), ZoneId.of("Etc/GMT-14"));

    private static final Map<String, List<ZoneId>> ZONES = load();

    /**
     * The country's representative zone: its only zone, or the first one tzdata lists for it (the
     * tzdata's order: America/New_York for the US, Europe/Kaliningrad for Russia). For display
     * only: evaluation uses all of {@link #zonesOf} with the rule in the class doc.
     */
    public static ZoneId zoneOf(String alpha2) {
        List<ZoneId> zones = zonesOf(alpha2);
        return zones.get(0);
    }

    /** Every zone of the country (tzdata order). */
    public static List<ZoneId> zonesOf(String alpha2) {
        List<ZoneId> zones = ZONES.get(alpha2);
        if (zones == null) {
            if (!Territories.isCountry(alpha2)) {
                throw new IllegalArgumentException(
                        Territories.isKnown(alpha2)
                                ? "'" + alpha2 + "' is a region, not a country"
                                : Territories.explainUnknown(alpha2));
            }
            return UNKNOWN_ZONES;
        }
        return zones;
    }

    /**
     * When something that makes a title available (a window start, an exception's exclusive end)
     * has happened in the whole country: the latest instant over its zones.
     */
    public static Instant opening(String alpha2, RightTime time) {
        return resolve(alpha2, time, true);
    }

    /**
     * When something that makes a title unavailable (a window's exclusive end, see {@link
     * RightTime#asExclusiveEnd()}, or an exception's start) has happened anywhere in the country:
     * the earliest instant over its zones.
     */
    public static Instant closing(String alpha2, RightTime time) {
        return resolve(alpha2, time, false);
    }

    /** The first instant at which the clock of {@code zone} shows {@code local} or later. */
    public static Instant firstInstantAtOrAfter(LocalDateTime local, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        List<java.time.ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(local);
            return gap.getInstant();
        }
        // in an overlap the offsets are ordered earlier-offset first (the larger offset), which
        // is the earlier instant
        Instant best = null;
        for (java.time.ZoneOffset offset : offsets) {
            Instant i = local.toInstant(offset);
            if (best == null || i.isBefore(best)) {
                best = i;
            }
        }
        return best;
    }

    private static Instant resolve(String alpha2, RightTime time, boolean latest) {
        if (time instanceof RightTime.AtInstant at) {
            return at.instant();
        }
        LocalDateTime local =
                time instanceof RightTime.AtLocalDateTime l
                        ? l.localDateTime()
                        : ((RightTime.OnDate) time).date().atStartOfDay();
        Instant result = null;
        for (ZoneId zone : zonesOf(alpha2)) {
            Instant i = firstInstantAtOrAfter(local, zone);
            if (result == null || (latest ? i.isAfter(result) : i.isBefore(result))) {
                result = i;
            }
        }
        return result;
    }

    private static Map<String, List<ZoneId>> load() {
        Set<String> available = ZoneId.getAvailableZoneIds();
        Map<String, List<ZoneId>> zones = new HashMap<>();
        for (String line : ReferenceData.lines("zones.csv")) {
            int comma = line.indexOf(',');
            List<ZoneId> ids = new ArrayList<>();
            for (String id : line.substring(comma + 1).trim().split(" ")) {
                if (available.contains(id)) {
                    ids.add(ZoneId.of(id));
                }
            }
            if (!ids.isEmpty()) {
                zones.put(line.substring(0, comma), List.copyOf(ids));
            }
        }
        return Map.copyOf(zones);
    }
}
