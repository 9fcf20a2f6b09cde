package dev.marquee.rights;

import java.util.Collections;
import java.util.HashMap;
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

    private static final Set<String> ISO_ALPHA2 =
            Collections.unmodifiableSet(new TreeSet<>(Set.of(Locale.getISOCountries())));

    /**
     * {@code 003} (North America) is not part of the UN's own hierarchy (it is the CLDR grouping of
     * Northern America, Central America and the Caribbean), so it is composed from those.
     */
    private static final Map<String, Set<String>> M49_MEMBERS = loadM49();

    private static final String[] COUNTRY_AT = ISO_ALPHA2.toArray(new String[0]);
    private static final short[] INDEX_OF = new short[26 * 26];

    static {
        java.util.Arrays.fill(INDEX_OF, (short) -1);
        for (int i = 0; i < COUNTRY_AT.length; i++) {
            String c = COUNTRY_AT[i];
            INDEX_OF[(c.charAt(0) - 'A') * 26 + (c.charAt(1) - 'A')] = (short) i;
        }
    }

    /** How many countries {@link #countryIndex} numbers. */
    public static int countryCount() {
        return COUNTRY_AT.length;
    }

    /** A dense index 0..countryCount()-1 of a country, or -1 if the code is not a country. */
    public static int countryIndex(String code) {
        if (code == null || code.length() != 2) {
            return -1;
        }
        int a = code.charAt(0) - 'A';
        int b = code.charAt(1) - 'A';
        if (a < 0 || a >= 26 || b < 0 || b >= 26) {
            return -1;
        }
        return INDEX_OF[a * 26 + b];
    }

    /** The country at a dense index. */
    public static String countryAt(int index) {
        return COUNTRY_AT[index];
    }

    /** Every ISO 3166-1 alpha-2 country the JDK knows, sorted. */
    public static Set<String> countries() {
        return ISO_ALPHA2;
    }

    /**
     * The countries a code names: a country itself, {@code ZZ} (and M49 {@code 001}) every country,
     * {@code EU} the current member states, an M49 region its member countries (from the UN M49
     * table embedded as {@code m49.csv}).
     *
     * @throws IllegalArgumentException for an unknown code, saying why
     */
    public static Set<String> expand(String code) {
        if (isCountry(code)) {
            return Set.of(code);
        }
        if (WORLDWIDE.equals(code) || "001".equals(code)) {
            return ISO_ALPHA2;
        }
        if (EU.equals(code)) {
            return EU_MEMBERS;
        }
        Set<String> members = M49_MEMBERS.get(code);
        if (members != null) {
            return members;
        }
        throw new IllegalArgumentException(explainUnknown(code));
    }

    private static Map<String, Set<String>> loadM49() {
        Map<String, Set<String>> members = new HashMap<>();
        for (String line : ReferenceData.lines("m49.csv")) {
            int comma = line.indexOf(',');
            String country = line.substring(0, comma);
            if (!isCountry(country)) {
                continue;
            }
            for (String region : line.substring(comma + 1).trim().split(" ")) {
                if (!region.isEmpty()) {
                    members.computeIfAbsent(region, r -> new TreeSet<>()).add(country);
                }
            }
        }
        Set<String> northAmerica = new TreeSet<>();
        for (String part : new String[] {"021", "013", "029"}) {
            northAmerica.addAll(members.getOrDefault(part, Set.of()));
        }
        members.put("003", northAmerica);
        Map<String, Set<String>> result = new HashMap<>();
        for (String region : M49_REGIONS.keySet()) {
            result.put(
                    region,
                    Collections.unmodifiableSet(members.getOrDefault(region, new TreeSet<>())));
        }
        return Map.copyOf(result);
    }

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
