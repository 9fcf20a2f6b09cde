package dev.marquee.rights;

import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a right is well formed before any job acts on it: ids present, territories known,
 * times parseable and in order. Returns every problem (one line each, naming the field), so a
 * rights manager fixes a record once rather than once per error.
 */
public final class RightValidator {
    private RightValidator() {}

    public static List<String> problems(RightEvent right) {
        List<String> problems = new ArrayList<>();
        if (blank(right.getRightId())) {
            problems.add("rightId: missing");
        }
        if (blank(right.getContentId())) {
            problems.add("contentId: missing");
        }
        if (right.getRevision() < 1) {
            problems.add("revision: must be 1 or more, was " + right.getRevision());
        }
        if (right.getTerritory().isEmpty()) {
            problems.add("territory: at least one territory is required");
        }
        territories("territory", right.getTerritory(), problems);
        territories("excludedTerritory", right.getExcludedTerritory(), problems);
        RightTime start = time("windowStart", right.getWindowStart(), problems);
        RightTime end =
                right.getWindowEnd() == null
                        ? null
                        : time("windowEnd", right.getWindowEnd(), problems);
        if (start != null && end != null) {
            order("windowEnd", start, end, problems);
        }
        for (int i = 0; i < right.getExceptions().size(); i++) {
            RightException ex = right.getExceptions().get(i);
            String field = "exceptions[" + i + "]";
            if (blank(ex.getType())) {
                problems.add(field + ".type: missing");
            }
            RightTime exStart = time(field + ".start", ex.getStart(), problems);
            RightTime exEnd =
                    ex.getEnd() == null ? null : time(field + ".end", ex.getEnd(), problems);
            if (exStart != null && exEnd != null) {
                order(field + ".end", exStart, exEnd, problems);
            }
            territories(field + ".territory", ex.getTerritory(), problems);
        }
        return problems;
    }

    private static void territories(String field, List<String> codes, List<String> problems) {
        for (String code : codes) {
            if (!Territories.isKnown(code)) {
                problems.add(field + ": " + Territories.explainUnknown(code));
            }
        }
    }

    private static RightTime time(String field, String text, List<String> problems) {
        try {
            return RightTime.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * End must come after start. Forms can mix (a UTC start, a local end); then the check is
     * conservative: only an end before the start in every time zone is an error.
     */
    private static void order(String field, RightTime start, RightTime end, List<String> problems) {
        RightTime exclusiveEnd = end.asExclusiveEnd();
        boolean sameForm = start.getClass() == exclusiveEnd.getClass();
        boolean bad =
                sameForm
                        ? !exclusiveEnd.earliest().isAfter(start.earliest())
                        : !exclusiveEnd.latest().isAfter(start.earliest());
        if (bad) {
            problems.add(field + ": ends before it starts");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
