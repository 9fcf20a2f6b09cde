package dev.marquee.metadata;

import dev.marquee.schema.Identifier;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every common spelling of a work's identifier, parsed into one canonical {@link Identifier}: EIDR
 * ({@code 10.5240/...}, {@code urn:eidr:10.5240:...}, {@code md:cid:eidr-s:...}), IMDb ({@code
 * tt0087332}, {@code imdb:tt...}, imdb.com URLs), TMDB ({@code tmdb-movie:620}, {@code
 * tmdb:tv:1399}, themoviedb.org URLs) and vendors' own ids, which are namespaced by vendor ({@code
 * vendor:<vendor>}) because two vendors' "12345" say nothing about each other.
 *
 * <p>An identifier that is recognizably of a scheme but fails its validation (an EIDR with a wrong
 * check character, a TMDB id that does not say movie or tv) comes back with {@code valid=false}: it
 * is kept as a flagged alias and never anchors identity.
 *
 * <p>Canonical titles are keyed by a content id derived from an identifier ({@link #contentId}),
 * {@code scheme:value}: {@code eidr:10.5240/...} when the title has an EIDR, else its best other id
 * ({@code imdb:tt...}, ...). The mapping is reversible ({@link #fromContentId}), so an editorial
 * override naming any content id a title ever had finds the title again.
 */
public final class Identifiers {
    public static final String EIDR = "eidr";
    public static final String IMDB = "imdb";
    public static final String TMDB_MOVIE = "tmdb-movie";
    public static final String TMDB_TV = "tmdb-tv";
    public static final String VENDOR_PREFIX = "vendor:";

    /** Schemes whose ids name one work world-wide: two different values mean two works. */
    public static final Set<String> AUTHORITATIVE = Set.of(EIDR, IMDB, TMDB_MOVIE, TMDB_TV);

    /** Which scheme's id names a title that has no EIDR: the first of this list it has. */
    private static final List<String> ANCHOR_PREFERENCE = List.of(EIDR, IMDB, TMDB_MOVIE, TMDB_TV);

    private static final Pattern IMDB_ID =
            Pattern.compile(
                    "^(?:imdb:|md:cid:imdb:|https?://(?:www\\.|m\\.)?imdb\\.com/title/)?(tt\\d{7,10})/?$",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern TMDB_ID =
            Pattern.compile(
                    "^(?:tmdb[:-](movie|tv)[:/]|https?://(?:www\\.)?themoviedb\\.org/(movie|tv)/)(\\d+)(?:-[^/]*)?/?$",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern TMDB_UNTYPED =
            Pattern.compile("^tmdb[:-]?(\\d+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern MEC_ORG_ID =
            Pattern.compile("^md:cid:org:([^:]+):(.+)$", Pattern.CASE_INSENSITIVE);

    private Identifiers() {}

    /**
     * Parses one identifier written any common way. Text that is no known scheme is taken as the
     * vendor's own id.
     */
    public static Identifier parse(String raw, String vendor) {
        String text = raw == null ? "" : raw.strip();
        if (Eidr.looksLikeEidr(text)) {
            return eidr(text);
        }
        Matcher imdb = IMDB_ID.matcher(text);
        if (imdb.matches()) {
            return id(IMDB, imdb.group(1).toLowerCase(Locale.ROOT), true);
        }
        Matcher tmdb = TMDB_ID.matcher(text);
        if (tmdb.matches()) {
            String kind = tmdb.group(1) != null ? tmdb.group(1) : tmdb.group(2);
            return id("tmdb-" + kind.toLowerCase(Locale.ROOT), tmdb.group(3), true);
        }
        if (TMDB_UNTYPED.matcher(text).matches()) {
            // TMDB numbers movies and TV shows separately: without the kind it names nothing.
            return id("tmdb", text, false);
        }
        Matcher org = MEC_ORG_ID.matcher(text);
        if (org.matches()) {
            return id(vendorScheme(org.group(1)), org.group(2), !org.group(2).isBlank());
        }
        return id(vendorScheme(vendor), text, !text.isEmpty());
    }

    /**
     * Canonicalizes an identifier given as scheme and value (a JSON feed's {@code {"scheme":
     * "EIDR", "value": "urn:eidr:..."}}, a MEC AltIdentifier's Namespace and Identifier). Unknown
     * schemes are vendor namespaces.
     */
    public static Identifier canonical(String scheme, String value, String vendor) {
        String s = scheme == null ? "" : scheme.strip().toLowerCase(Locale.ROOT);
        String v = value == null ? "" : value.strip();
        switch (s) {
            case "eidr", "eidr-s", "eidr-urn", "eidr-x", "doi" -> {
                return eidr(v);
            }
            case "imdb", "imdb-title", "imdbid" -> {
                Matcher m = IMDB_ID.matcher(v);
                return m.matches()
                        ? id(IMDB, m.group(1).toLowerCase(Locale.ROOT), true)
                        : id(IMDB, v, false);
            }
            case "tmdb-movie", "tmdb-tv" -> {
                return v.matches("\\d+") ? id(s, v, true) : parseTmdb(v, s);
            }
            case "tmdb" -> {
                Identifier parsed = parse(v, vendor);
                return parsed.getScheme().startsWith("tmdb-") ? parsed : id("tmdb", v, false);
            }
            case "" -> {
                return parse(v, vendor);
            }
            default -> {
                if (s.startsWith(VENDOR_PREFIX)) {
                    return id(s, v, !v.isEmpty());
                }
                return id(vendorScheme(s), v, !v.isEmpty());
            }
        }
    }

    /** Re-canonicalizes an identifier a record already carries (idempotent). */
    public static Identifier canonical(Identifier identifier, String vendor) {
        Identifier c = canonical(identifier.getScheme(), identifier.getValue(), vendor);
        if (!identifier.getValid()) {
            c.setValid(false); // a flag set upstream is never cleared here
        }
        return c;
    }

    private static Identifier parseTmdb(String v, String scheme) {
        Matcher m = TMDB_ID.matcher(v);
        if (m.matches()) {
            return id(scheme, m.group(3), true);
        }
        return id(scheme, v, false);
    }

    private static Identifier eidr(String text) {
        Eidr.Check check = Eidr.check(text);
        return id(EIDR, check.canonical().orElse(text), check.valid());
    }

    public static String vendorScheme(String vendor) {
        String name = vendor == null || vendor.isBlank() ? "unknown" : vendor.strip();
        return VENDOR_PREFIX + name.toLowerCase(Locale.ROOT);
    }

    private static Identifier id(String scheme, String value, boolean valid) {
        return Identifier.newBuilder().setScheme(scheme).setValue(value).setValid(valid).build();
    }

    /** The key of an identifier in indexes and the content id it gives a title it anchors. */
    public static String contentId(Identifier id) {
        return id.getScheme() + ":" + id.getValue();
    }

    /** The identifier a content id was made from (see {@link #contentId}). */
    public static Identifier fromContentId(String contentId) {
        if (Eidr.looksLikeEidr(contentId)) {
            return eidr(contentId); // any EIDR spelling an editor may paste
        }
        if (contentId.startsWith(VENDOR_PREFIX)) {
            int colon = contentId.indexOf(':', VENDOR_PREFIX.length());
            if (colon > 0) {
                return id(contentId.substring(0, colon), contentId.substring(colon + 1), true);
            }
        }
        int colon = contentId.indexOf(':');
        if (colon > 0) {
            return canonical(contentId.substring(0, colon), contentId.substring(colon + 1), null);
        }
        return parse(contentId, null);
    }

    /**
     * Orders identifiers by how well they anchor a title: EIDR, IMDb, TMDB movie, TMDB tv, then
     * vendor ids; then by value. The first valid one names a title.
     */
    public static final Comparator<Identifier> ANCHOR_ORDER =
            Comparator.comparingInt((Identifier i) -> rank(i.getScheme()))
                    .thenComparing(Identifier::getScheme)
                    .thenComparing(Identifier::getValue);

    private static int rank(String scheme) {
        int r = ANCHOR_PREFERENCE.indexOf(scheme);
        return r < 0 ? ANCHOR_PREFERENCE.size() : r;
    }
}
