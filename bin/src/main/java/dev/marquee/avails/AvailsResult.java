package dev.marquee.avails;

import dev.marquee.schema.RightEvent;
import java.util.List;

/**
 * What one Avails file gave: the rights that parsed, one error per transaction that did not (which
 * avail, which field, why), notes for transactions deliberately not turned into a right yet (a
 * start or end that is a condition, not an instant), and the scopes the file states completely (its
 * Full Extract and Full Delete avails, one per licensor and ALID).
 */
public record AvailsResult(
        String format,
        List<RightEvent> rights,
        List<String> errors,
        List<String> notes,
        List<ExtractScope> scopes) {

    public AvailsResult(
            String format, List<RightEvent> rights, List<String> errors, List<String> notes) {
        this(format, rights, errors, notes, List.of());
    }

    public boolean complete() {
        return errors.isEmpty();
    }
}
