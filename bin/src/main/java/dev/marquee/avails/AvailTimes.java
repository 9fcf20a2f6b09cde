package dev.marquee.avails;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The three forms a rights time may take (instant with Z or offset, local date-time, date) and
 * xs:duration arithmetic on them. Values are kept as text in the right, because the form carries
 * meaning (local forms are local to each territory; a date-only end includes that whole day).
 */
final class AvailTimes {
    private AvailTimes() {}

    /** The value, trimmed, if it is one of the three forms; else an exception saying why. */
    static String normalize(String raw) {
        String text = raw.trim();
        try {
            OffsetDateTime.parse(text);
            return text;
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            LocalDateTime.parse(text);
            return text;
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            LocalDate.parse(text);
            return text;
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not an ISO-8601 date, local date-time or instant");
    }

    /**
     * An issue date (md:YearDateOrTime: a year, a date, a date-time with or without offset) as an
     * instant; local forms are read as UTC.
     */
    static Instant issueInstant(String raw) {
        String text = raw.trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return Year.parse(text).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("'" + text + "' is not a year, date or date-time");
    }

    /**
     * {@code when + duration} in the same form: an instant stays an instant (with its offset), a
     * local date-time stays local, and a date becomes the local date-time at the start of that day
     * plus the duration (so the result, used as an end, is exclusive).
     */
    static String plus(String when, String isoDuration) {
        String text = when.trim();
        Amount amount = Amount.parse(isoDuration);
        try {
            OffsetDateTime at = OffsetDateTime.parse(text);
            OffsetDateTime result = at.plus(amount.period).plus(amount.duration);
            return text.endsWith("Z") ? result.toInstant().toString() : result.toString();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(text);
        } catch (DateTimeParseException e) {
            local = LocalDate.parse(text).atStartOfDay();
        }
        return local.plus(amount.period).plus(amount.duration).toString();
    }

    /** An instant plus a duration, as ISO text with Z. */
    static String plus(Instant at, String isoDuration) {
        return plus(at.toString(), isoDuration);
    }

    /**
     * A lag or window duration: an xs:duration (P30D, PT12H, -P1D, P1Y2M3DT4H) or, from the Excel
     * template, a plain number of days. Returns the xs:duration form.
     */
    static String duration(String raw) {
        String text = raw.trim();
        if (text.matches("-?\\d+(\\.0+)?")) {
            return "P" + text.replaceAll("\\.0+$", "") + "D";
        }
        Amount.parse(text);
        return text;
    }

    private record Amount(Period period, Duration duration) {
        static Amount parse(String raw) {
            String text = raw.trim();
            boolean negative = text.startsWith("-");
            if (negative) {
                text = text.substring(1);
            }
            if (!text.startsWith("P") || text.length() < 2 || text.endsWith("T")) {
                throw new IllegalArgumentException("'" + raw.trim() + "' is not an xs:duration");
            }
            int t = text.indexOf('T');
            String datePart = t < 0 ? text : text.substring(0, t);
            String timePart = t < 0 ? "" : text.substring(t);
            try {
                Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
                Duration duration =
                        timePart.isEmpty() ? Duration.ZERO : Duration.parse("P" + timePart);
                return negative
                        ? new Amount(period.negated(), duration.negated())
                        : new Amount(period, duration);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + raw.trim() + "' is not an xs:duration");
            }
        }
    }
}
