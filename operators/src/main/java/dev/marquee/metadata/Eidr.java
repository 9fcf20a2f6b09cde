package dev.marquee.metadata;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EIDR content ids: {@code 10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C}, five groups of four hex digits and
 * one check character computed with ISO 7064 MOD 37,36 over the twenty hex digits.
 *
 * <p>Feeds spell the same id several ways ({@code 10.5240/...}, {@code urn:eidr:10.5240:...},
 * {@code md:cid:eidr-s:...} with only the suffix, lower case, without hyphens, with spaces); all of
 * them canonicalize to the DOI form, upper case, hyphenated. An id whose check character is wrong
 * is still recognized as an EIDR ({@link Status#BAD_CHECK}) so it can be kept as a flagged alias:
 * template and test files in the wild carry placeholders with wrong check characters, and dropping
 * them silently would hide the vendor's mistake.
 */
public final class Eidr {
    /** The DOI prefix of EIDR content ids. */
    public static final String PREFIX = "10.5240/";

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int MODULUS = 36;

    /** The suffix once prefixes are gone: 20 hex digits in any grouping, then the check char. */
    private static final Pattern SUFFIX =
            Pattern.compile("((?:[0-9A-F]-?){20})([0-9A-Z])", Pattern.CASE_INSENSITIVE);

    private static final Pattern PREFIXES =
            Pattern.compile(
                    "^(?:urn:eidr:10\\.5240:|md:cid:eidr-s:|md:cid:eidr:10\\.5240[:/]|eidr-s:|"
                            + "eidr:10\\.5240[:/]|eidr:|doi:10\\.5240/|https?://(?:dx\\.)?doi\\.org/10\\.5240/|"
                            + "https?://ui\\.eidr\\.org/view/content\\?id=10\\.5240/|10\\.5240/)",
                    Pattern.CASE_INSENSITIVE);

    /** What {@link #check} found. */
    public enum Status {
        VALID,
        BAD_CHECK,
        MALFORMED
    }

    /**
     * The outcome of checking one input.
     *
     * @param canonical the canonical DOI form, present unless the input is malformed (for a bad
     *     check character it keeps the character the input gave)
     * @param expectedCheck the check character the twenty digits call for, when not malformed
     */
    public record Check(
            String input,
            Status status,
            Optional<String> canonical,
            Optional<Character> expectedCheck) {
        public boolean valid() {
            return status == Status.VALID;
        }
    }

    private Eidr() {}

    /** Whether the input looks like an EIDR in any known spelling (valid or not). */
    public static boolean looksLikeEidr(String input) {
        return input != null && PREFIXES.matcher(input.strip()).find();
    }

    /** Checks one input in any known spelling. */
    public static Check check(String input) {
        if (input == null) {
            return new Check(null, Status.MALFORMED, Optional.empty(), Optional.empty());
        }
        String text = input.strip().replace(" ", "");
        Matcher prefix = PREFIXES.matcher(text);
        if (prefix.find()) {
            text = text.substring(prefix.end());
        }
        Matcher m = SUFFIX.matcher(text);
        if (!m.matches()) {
            return new Check(input, Status.MALFORMED, Optional.empty(), Optional.empty());
        }
        String digits = m.group(1).replace("-", "").toUpperCase(Locale.ROOT);
        char given = Character.toUpperCase(m.group(2).charAt(0));
        char expected = checkCharacter(digits);
        String canonical =
                PREFIX
                        + digits.substring(0, 4)
                        + '-'
                        + digits.substring(4, 8)
                        + '-'
                        + digits.substring(8, 12)
                        + '-'
                        + digits.substring(12, 16)
                        + '-'
                        + digits.substring(16, 20)
                        + '-'
                        + given;
        return new Check(
                input,
                given == expected ? Status.VALID : Status.BAD_CHECK,
                Optional.of(canonical),
                Optional.of(expected));
    }

    /**
     * The ISO 7064 MOD 37,36 (hybrid system) check character of a string over 0-9A-Z, as EIDR
     * computes it over the twenty hex digits of a content id.
     */
    public static char checkCharacter(String digits) {
        int product = MODULUS;
        for (int i = 0; i < digits.length(); i++) {
            int value = ALPHABET.indexOf(Character.toUpperCase(digits.charAt(i)));
            if (value < 0) {
                throw new IllegalArgumentException(
                        "'" + digits.charAt(i) + "' is not in the alphabet 0-9A-Z");
            }
            int sum = (product + value) % MODULUS;
            if (sum == 0) {
                sum = MODULUS;
            }
            product = (sum * 2) % (MODULUS + 1);
        }
        return ALPHABET.charAt((MODULUS + 1 - product) % MODULUS);
    }
}
