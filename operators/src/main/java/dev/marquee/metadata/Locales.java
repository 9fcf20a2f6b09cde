package dev.marquee.metadata;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Set;

/**
 * BCP 47 language tags for localized titles: well-formed (java.util.Locale's strict parser) and
 * naming a language ISO 639 knows. The canonical form is Locale's ({@code en-us} becomes {@code
 * en-US}, {@code zh-hant-tw} becomes {@code zh-Hant-TW}).
 */
public final class Locales {
    private static final Set<String> ISO_639_1 = Set.of(Locale.getISOLanguages());
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Locales() {}

    /** A tag that was accepted (canonical) or refused (reason). */
    public record Result(String canonical, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    public static Result check(String tag) {
        if (tag == null || tag.isBlank()) {
            return new Result(null, "no locale given");
        }
        Locale locale;
        try {
            locale = new Locale.Builder().setLanguageTag(tag.strip().replace('_', '-')).build();
        } catch (IllformedLocaleException e) {
            return new Result(null, "'" + tag + "' is not a well-formed BCP 47 tag");
        }
        String language = locale.getLanguage();
        if (language.isEmpty() || !knownLanguage(language)) {
            return new Result(
                    null,
                    "'" + tag + "' names no ISO 639 language ('" + language + "' is unknown)");
        }
        String region = locale.getCountry();
        if (!region.isEmpty() && !region.matches("\\d{3}") && !COUNTRIES.contains(region)) {
            return new Result(
                    null, "'" + tag + "' names an unknown region '" + region + "' (ISO 3166-1)");
        }
        return new Result(locale.toLanguageTag(), null);
    }

    private static boolean knownLanguage(String language) {
        if (language.length() == 2) {
            return ISO_639_1.contains(language);
        }
        // Three-letter codes (yue, fil, ...): the JDK knows a display name for real ISO 639-2/3
        // languages and echoes the code back for anything else.
        String name = new Locale(language).getDisplayLanguage(Locale.ENGLISH);
        return !name.isEmpty() && !name.equalsIgnoreCase(language) && !"und".equals(language);
    }
}
