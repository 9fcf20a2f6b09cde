package dev.marquee.rights;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A time as a right states it. The form carries meaning (CONTRACT.md): an instant (with Z or an
 * offset) is the same moment everywhere; a date or a local date-time is local to each territory, so
 * one window opens at different instants around the world.
 */
public sealed interface RightTime extends java.io.Serializable {

    /** The same moment everywhere. */
    record AtInstant(Instant instant) implements RightTime {}

    /** Wall-clock time in each territory's own zone. */
    record AtLocalDateTime(LocalDateTime localDateTime) implements RightTime {}

    /** A whole local day: as an end, inclusive of that day. */
    record OnDate(LocalDate date) implements RightTime {}

    /**
     * Parses the three forms.
     *
     * @throws IllegalArgumentException naming the value and the forms accepted
     */
    static RightTime parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty time");
        }
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return new OnDate(LocalDate.parse(t));
            }
            if (t.endsWith("Z") || t.endsWith("z") || hasOffset(t)) {
                return new AtInstant(OffsetDateTime.parse(t.replace('z', 'Z')).toInstant());
            }
            return new AtLocalDateTime(LocalDateTime.parse(t));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not an ISO-8601 instant (2028-03-15T00:00:00Z), local"
                            + " date-time (2028-03-15T00:00) or date (2028-03-15)");
        }
    }

    private static boolean hasOffset(String t) {
        int time = t.indexOf('T');
        return time > 0 && (t.indexOf('+', time) > 0 || t.indexOf('-', time) > 0);
    }

    /**
     * The earliest instant this time can denote anywhere (local times at UTC+14), used to check
     * ordering without knowing the territory.
     */
    default Instant earliest() {
        return at(ZoneOffset.ofHours(14));
    }

    /** The latest instant this time can denote anywhere (local times at UTC-12). */
    default Instant latest() {
        return at(ZoneOffset.ofHours(-12));
    }

    /** The instant this time denotes where local time runs at the given offset. */
    default Instant at(ZoneOffset offset) {
        if (this instanceof AtInstant a) {
            return a.instant();
        }
        if (this instanceof AtLocalDateTime l) {
            return l.localDateTime().toInstant(offset);
        }
        return ((OnDate) this).date().atStartOfDay().toInstant(offset);
    }

    /** As an end: a date includes its whole day, so the end is the next midnight. */
    default RightTime asExclusiveEnd() {
        return this instanceof OnDate d
                ? new AtLocalDateTime(d.date().plusDays(1).atStartOfDay())
                : this;
    }
}
