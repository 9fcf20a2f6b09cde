package dev.marquee.metadata;

import dev.marquee.schema.EditorialOverride;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an editorial override may say. SET_FIELD sets one of {@link #FIELDS} ({@code titles.<BCP 47
 * locale>}, {@code releaseYear}, {@code runtimeMinutes}); MERGE and KEEP_APART decide a review
 * between {@code contentId} and {@code otherContentId}; WITHDRAW takes back an earlier override.
 */
public final class Overrides {
    public static final Set<String> FIELDS = Set.of("releaseYear", "runtimeMinutes");
    public static final String TITLE_FIELD_PREFIX = "titles.";

    private Overrides() {}

    /** Every problem of an override; empty when it can be applied. */
    public static List<String> problems(EditorialOverride o) {
        List<String> problems = new ArrayList<>();
        if (o.getOverrideId() == null || o.getOverrideId().isBlank()) {
            problems.add("field 'overrideId': required, got nothing");
        }
        if (o.getContentId() == null || o.getContentId().isBlank()) {
            problems.add("field 'contentId': required, got nothing");
        }
        switch (o.getAction()) {
            case SET_FIELD -> {
                String field = o.getField();
                if (field == null) {
                    problems.add("field 'field': SET_FIELD needs the field to set");
                } else if (field.startsWith(TITLE_FIELD_PREFIX)) {
                    Locales.Result locale =
                            Locales.check(field.substring(TITLE_FIELD_PREFIX.length()));
                    if (!locale.ok()) {
                        problems.add("field 'field': " + locale.problem());
                    }
                    if (o.getValue() == null || o.getValue().isBlank()) {
                        problems.add("field 'value': a title needs text");
                    }
                } else if (FIELDS.contains(field)) {
                    if (o.getValue() == null || !o.getValue().strip().matches("\\d{1,4}")) {
                        problems.add(
                                "field 'value': "
                                        + field
                                        + " needs a whole number, got '"
                                        + o.getValue()
                                        + "'");
                    }
                } else {
                    problems.add(
                            "field 'field': '"
                                    + field
                                    + "' cannot be overridden; use titles.<locale>, releaseYear"
                                    + " or runtimeMinutes");
                }
            }
            case MERGE, KEEP_APART -> {
                if (o.getOtherContentId() == null || o.getOtherContentId().isBlank()) {
                    problems.add(
                            "field 'otherContentId': " + o.getAction() + " needs the other title");
                } else if (o.getOtherContentId().equals(o.getContentId())) {
                    problems.add("field 'otherContentId': must differ from contentId");
                }
            }
            case WITHDRAW -> {
                if (o.getWithdrawsOverrideId() == null || o.getWithdrawsOverrideId().isBlank()) {
                    problems.add(
                            "field 'withdrawsOverrideId': WITHDRAW needs the override to take back");
                }
            }
            default -> problems.add("field 'action': unknown action " + o.getAction());
        }
        return problems;
    }

    /** The canonical form of a content id named in an override (any identifier spelling). */
    public static String canonicalContentId(String contentId) {
        return Identifiers.contentId(Identifiers.fromContentId(contentId.strip()));
    }
}
