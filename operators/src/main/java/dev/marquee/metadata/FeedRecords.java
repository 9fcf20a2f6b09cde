package dev.marquee.metadata;

import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one normalization every feed record gets, at ingest and again in the job (for records that
 * reached the topic some other way): identifiers canonicalized, titles repaired where plainly
 * double-encoded (and flagged), locales checked and canonicalized. Idempotent: a normalized record
 * normalizes to itself, so doing it twice is harmless.
 *
 * <p>A record with a problem (no vendor, an unknown locale, a year out of range, no title) is
 * refused as a whole with every problem named, so it goes to the DLQ instead of half into the
 * catalog. An identifier that fails validation is not a problem of the record: it is kept, flagged.
 */
public final class FeedRecords {
    /** Version of this normalization, recorded in each record's provenance by the ingest. */
    public static final String TRANSFORM_VERSION = "metadata-normalize/1";

    public static final String MOJIBAKE_FLAG = "mojibake-repaired";
    public static final String INVALID_ID_FLAG = "invalid-identifier";
    private static final Set<String> KINDS = Set.of("display", "original", "sort", "alternate");

    private FeedRecords() {}

    /** The record key on metadata.feed.raw: vendor and the vendor's record id. */
    public static String key(FeedRecord record) {
        return record.getVendor() + ":" + record.getVendorRecordId();
    }

    /** A normalized record, or the reasons it cannot be one. */
    public record Result(FeedRecord record, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public Optional<FeedRecord> valid() {
            return ok() ? Optional.of(record) : Optional.empty();
        }
    }

    public static Result normalize(FeedRecord input) {
        FeedRecord record = FeedRecord.newBuilder(input).build();
        List<String> problems = new ArrayList<>();
        Set<String> flags = new LinkedHashSet<>(record.getFlags());
        if (blank(record.getVendor())) {
            problems.add("field 'vendor': required, got nothing");
        } else {
            record.setVendor(record.getVendor().strip().toLowerCase(Locale.ROOT));
        }
        if (blank(record.getVendorRecordId())) {
            problems.add("field 'vendorRecordId': required, got nothing");
        } else {
            record.setVendorRecordId(record.getVendorRecordId().strip());
        }

        Map<String, Identifier> ids = new LinkedHashMap<>();
        for (Identifier raw : record.getIdentifiers()) {
            Identifier id = Identifiers.canonical(raw, record.getVendor());
            if (id.getValue().isEmpty()) {
                continue;
            }
            String k = id.getScheme() + "|" + id.getValue();
            Identifier seen = ids.get(k);
            if (seen == null || (seen.getValid() && !id.getValid())) {
                ids.put(k, id);
            }
            if (!id.getValid()) {
                flags.add(INVALID_ID_FLAG + ":" + Identifiers.contentId(id));
            }
        }
        List<String> eidrs =
                ids.values().stream()
                        .filter(i -> i.getValid() && Identifiers.EIDR.equals(i.getScheme()))
                        .map(Identifier::getValue)
                        .toList();
        if (eidrs.size() > 1) {
            problems.add(
                    "field 'identifiers': one record names two different EIDRs "
                            + eidrs
                            + "; a work has one EIDR, so the vendor must say which");
        }
        List<Identifier> sortedIds = new ArrayList<>(ids.values());
        sortedIds.sort(Identifiers.ANCHOR_ORDER);
        record.setIdentifiers(sortedIds);

        List<LocalizedTitle> titles = new ArrayList<>();
        for (int i = 0; i < record.getTitles().size(); i++) {
            LocalizedTitle title = record.getTitles().get(i);
            String at = "field 'titles[" + i + "]";
            Locales.Result locale = Locales.check(title.getLocale());
            if (!locale.ok()) {
                problems.add(at + ".locale': " + locale.problem());
                continue;
            }
            String kind =
                    title.getKind() == null ? "display" : title.getKind().toLowerCase(Locale.ROOT);
            if (!KINDS.contains(kind)) {
                problems.add(at + ".kind': expected one of " + KINDS + ", got '" + kind + "'");
                continue;
            }
            String text = title.getText();
            if (blank(text)) {
                problems.add(at + ".text': a title needs text");
                continue;
            }
            Optional<String> repaired = TitleText.repairDoubleEncoding(text);
            if (repaired.isPresent()) {
                text = repaired.get();
                flags.add(MOJIBAKE_FLAG + ":" + locale.canonical());
            }
            titles.add(
                    LocalizedTitle.newBuilder()
                            .setLocale(locale.canonical())
                            .setText(text)
                            .setKind(kind)
                            .build());
        }
        record.setTitles(titles);

        if (!record.getWithdrawn()) {
            if (titles.isEmpty() && problems.isEmpty()) {
                problems.add("field 'titles': a record needs at least one title");
            }
            Integer year = record.getReleaseYear();
            if (year != null && (year < 1870 || year > 2100)) {
                problems.add("field 'releaseYear': " + year + " is not a plausible release year");
            }
            Integer runtime = record.getRuntimeMinutes();
            if (runtime != null && (runtime <= 0 || runtime > 1200)) {
                problems.add(
                        "field 'runtimeMinutes': " + runtime + " is not a plausible running time");
            }
        }
        record.setFlags(new ArrayList<>(flags));
        return new Result(record, problems);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
