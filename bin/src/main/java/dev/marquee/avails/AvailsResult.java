package dev.marquee.avails;

import dev.marquee.schema.RightEvent;
import java.util.List;

/**
 * What one Avails file gave: the rights that parsed, one error per transaction that did not (which
 * avail, which field, why), and notes for transactions deliberately not turned into a right yet (a
 * start or end that is a condition, not an instant).
 */
public record AvailsResult(
        String format, List<RightEvent> rights, List<String> errors, List<String> notes) {
    public boolean complete() {
        return errors.isEmpty();
    }
}
