package dev.marquee.avails;

/**
 * Reads back the {@code source} text {@link AvailsParser} writes on every right ({@code avails
 * <file>; ALID <alid>; TransactionID ..; EntryType ..; Licensor <name>; ...}): the ALID and
 * licensor are what scope a later Full Extract or Full Delete.
 */
final class AvailsSource {
    private static final String PREFIX = "avails ";
    private static final String SEPARATOR = "; ";

    private AvailsSource() {}

    static boolean isAvails(String source) {
        return source != null && source.startsWith(PREFIX) && alid(source) != null;
    }

    static String alid(String source) {
        return part(source, "ALID ");
    }

    static String licensor(String source) {
        return part(source, "Licensor ");
    }

    /** The first "; Name value" part's value; the file name (first part) is skipped. */
    private static String part(String source, String name) {
        if (source == null) {
            return null;
        }
        String[] parts = source.split(SEPARATOR);
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith(name)) {
                return parts[i].substring(name.length());
            }
        }
        return null;
    }
}
