package dev.marquee.rights;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The territory codes a right may name (CONTRACT.md): ISO 3166-1 alpha-2 countries, {@code ZZ} for
 * worldwide, {@code EU} for the current member states, and UN M49 numeric regions. An unknown code
 * is an error, never a silent "not available".
 */
public final class Territories {
    private Territories() {}

    public static final String WORLDWIDE = "ZZ";
    public static final String EU = "EU";

    /** Current EU member states (27, since 2020-02-01). */
    public static final Set<String> EU_MEMBERS =
            Set.of(
                    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
                    "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES",
                    "SE");

    /** UN M49 numeric region codes (world, continents and sub-regions). */
    public static final Map<String, String> M49_REGIONS =
            Map.ofEntries(
                    Map.entry("001", "World"),
                    Map.entry("002", "Africa"),
                    Map.entry("015", "Northern Africa"),
                    Map.entry("202", "Sub-Saharan Africa"),
                    Map.entry("011", "Western Africa"),
                    Map.entry("014", "Eastern Africa"),
                    Map.entry("017", "Middle Africa"),
                    Map.entry("018", "Southern Africa"),
                    Map.entry("019", "Americas"),
                    Map.entry("419", "Latin America and the Caribbean"),
                    Map.entry("029", "Caribbean"),
                    Map.entry("013", "Central America"),
                    Map.entry("005", "South America"),
                    Map.entry("021", "Northern America"),
                    Map.entry("003", "North America"),
                    Map.entry("142", "Asia"),
                    Map.entry("143", "Central Asia"),
                    Map.entry("030", "Eastern Asia"),
                    Map.entry("035", "South-eastern Asia"),
                    Map.entry("034", "Southern Asia"),
                    Map.entry("145", "Western Asia"),
                    Map.entry("150", "Europe"),
                    Map.entry("151", "Eastern Europe"),
                    Map.entry("154", "Northern Europe"),
                    Map.entry("039", "Southern Europe"),
                    Map.entry("155", "Western Europe"),
                    Map.entry("009", "Oceania"),
                    Map.entry("053", "Australia and New Zealand"),
                    Map.entry("054", "Melanesia"),
                    Map.entry("057", "Micronesia"),
                    Map.entry("061", "Polynesia"));

    private static final Set<String> ISO_ALPHA2 = new TreeSet<>(Set.of(Locale.getISOCountries()));

    public static boolean isCountry(String code) {
        return code != null && ISO_ALPHA2.contains(code);
    }

    /** Whether the code is one a right may name. */
    public static boolean isKnown(String code) {
        return code != null
                && (isCountry(code)
                        || WORLDWIDE.equals(code)
                        || EU.equals(code)
                        || M49_REGIONS.containsKey(code));
    }

    /** Why a code is not known, in words a rights manager can act on. */
    public static String explainUnknown(String code) {
        if (code == null || code.isBlank()) {
            return "territory code is empty";
        }
        if (code.length() == 2 && isCountry(code.toUpperCase(Locale.ROOT))) {
            return "territory code '"
                    + code
                    + "' must be upper case: "
                    + code.toUpperCase(Locale.ROOT);
        }
        if (code.length() == 3 && Character.isLetter(code.charAt(0))) {
            return "territory code '" + code + "' looks like ISO alpha-3; use alpha-2";
        }
        return "unknown territory code '"
                + code
                + "' (expected ISO 3166-1 alpha-2, ZZ, EU or a UN M49 region)";
    }
}
