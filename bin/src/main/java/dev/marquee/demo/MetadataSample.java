package dev.marquee.demo;

import dev.marquee.metadata.FeedFile;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.ReviewItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The demo's sample studio feed (bin/src/main/resources/demo/metadata/) and exactly what the
 * catalog must make of it: a MEC delivery of four works (one broken) and a vendor's JSON lines with
 * the same film under other id spellings, a double-encoded UTF-8 title, a bad EIDR, an unknown
 * locale and a near-duplicate title, plus an editorial override.
 */
public final class MetadataSample {
    public static final String LIGHTHOUSE = "eidr:10.5240/A1B2-C3D4-E5F6-0718-293A-6";
    public static final String PAPER_MOONS = "eidr:10.5240/0B5E-7C1D-42A9-8E30-F6D2-0";
    public static final String BAD_EIDR = "10.5240/5D3C-91E7-2B4A-6F08-C1D5-X";
    public static final String REVIEW_ID = "match:vendor:acme:A-104|vendor:northlight:NL-004";

    /** When the sample says it was ingested: fixed, so the run is the same every time. */
    public static final Instant INGESTED_AT = Instant.parse("2026-11-20T09:00:00Z");

    /** The catalog the sample must produce: content id to its display title per locale. */
    public static final Map<String, Map<String, String>> EXPECTED_TITLES =
            Map.of(
                    LIGHTHOUSE,
                    Map.of("en-US", "The Lighthouse at Dusk", "ja-JP", "夕暮れの灯台"),
                    PAPER_MOONS,
                    Map.of("en-US", "Paper Moons (Director's Cut)"),
                    "imdb:tt9000003",
                    Map.of("fr-FR", "Le Jardin d'Amélie", "en-US", "Amelie's Garden"),
                    "vendor:northlight:NL-004",
                    Map.of("en-GB", "Harbour Lights"),
                    "vendor:acme:A-104",
                    Map.of("en-US", "Harbor Lights Redux"),
                    "imdb:tt9000005",
                    Map.of("en-US", "Quiet Frontier"));

    /** Feed records the ingest refuses, by record key. */
    public static final List<String> EXPECTED_BAD_RECORDS =
            List.of("northlight:md:cid:org:northlight:NL-006", "acme:A-107");

    private MetadataSample() {}

    public static byte[] resource(String name) {
        try (InputStream in = MetadataSample.class.getResourceAsStream("/demo/metadata/" + name)) {
            return Objects.requireNonNull(in, name).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both feed files read as the ingest reads them. */
    public static List<FeedFile.Entry> feed() throws FeedFile.NotAFeedException {
        FeedFile.Context context = new FeedFile.Context(null, null, INGESTED_AT);
        List<FeedFile.Entry> entries =
                new ArrayList<>(
                        FeedFile.read(
                                "northlight-mec.xml", resource("northlight-mec.xml"), context));
        entries.addAll(FeedFile.read("acme-feed.jsonl", resource("acme-feed.jsonl"), context));
        return entries;
    }

    public static List<String> overrides() {
        return new String(resource("overrides.jsonl"), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank())
                .toList();
    }

    public static String describe() {
        return "a MEC delivery (4 works, 1 broken) and a JSON-lines feed (5 records: a duplicate under"
                + " other id spellings, a double-encoded title, a bad EIDR, an unknown locale, a"
                + " near-duplicate title) and one editorial override";
    }

    /**
     * Every way the catalog, the review queue and the DLQ differ from what the sample implies;
     * empty when they match exactly.
     */
    public static List<String> mismatches(
            Map<String, CanonicalTitle> catalog,
            Map<String, ReviewItem> openReviews,
            List<DeadLetter> feedDeadLetters) {
        List<String> out = new ArrayList<>();
        if (!catalog.keySet().equals(new java.util.TreeSet<>(EXPECTED_TITLES.keySet()))) {
            out.add(
                    "catalog.titles has "
                            + catalog.keySet()
                            + ", expected "
                            + new java.util.TreeSet<>(EXPECTED_TITLES.keySet()));
        }
        for (var e : EXPECTED_TITLES.entrySet()) {
            CanonicalTitle t = catalog.get(e.getKey());
            if (t == null) {
                continue;
            }
            Map<String, String> display = new TreeMap<>();
            t.getTitles().stream()
                    .filter(x -> "display".equals(x.getKind()))
                    .forEach(x -> display.put(x.getLocale(), x.getText()));
            if (!display.equals(new TreeMap<>(e.getValue()))) {
                out.add(
                        e.getKey()
                                + " has display titles "
                                + display
                                + ", expected "
                                + e.getValue());
            }
        }
        CanonicalTitle lighthouse = catalog.get(LIGHTHOUSE);
        if (lighthouse != null
                && !lighthouse
                        .getSources()
                        .equals(
                                List.of(
                                        "acme:A-101",
                                        "northlight:md:cid:eidr-s:A1B2-C3D4-E5F6-0718-293A-6"))) {
            out.add(
                    LIGHTHOUSE
                            + " should merge the MEC and JSON records (other id spellings), has sources "
                            + lighthouse.getSources());
        }
        CanonicalTitle frontier = catalog.get("imdb:tt9000005");
        if (frontier != null
                && frontier.getAliases().stream()
                        .noneMatch(a -> a.getValue().equals(BAD_EIDR) && !a.getValid())) {
            out.add("imdb:tt9000005 should keep the bad EIDR " + BAD_EIDR + " as a flagged alias");
        }
        CanonicalTitle moons = catalog.get(PAPER_MOONS);
        if (moons != null
                && moons.getProvenance().stream()
                        .noneMatch(p -> p.getSource().equals("override:ed-demo-1"))) {
            out.add(PAPER_MOONS + " should credit override:ed-demo-1 for its en-US title");
        }
        if (!openReviews.keySet().equals(java.util.Set.of(REVIEW_ID))) {
            out.add(
                    "metadata.review has open "
                            + openReviews.keySet()
                            + ", expected ["
                            + REVIEW_ID
                            + "]");
        }
        List<String> badKeys = feedDeadLetters.stream().map(DeadLetter::getKey).sorted().toList();
        if (!badKeys.equals(EXPECTED_BAD_RECORDS.stream().sorted().toList())) {
            out.add("metadata.feed.raw.dlq has " + badKeys + ", expected " + EXPECTED_BAD_RECORDS);
        }
        return out;
    }

    /**
     * The sample's part of a catalog: titles made from the sample vendors' records (other demo
     * stages may put their own stand-in titles on catalog.titles).
     */
    public static Map<String, CanonicalTitle> ownTitles(Map<String, CanonicalTitle> catalog) {
        Map<String, CanonicalTitle> out = new TreeMap<>();
        catalog.forEach(
                (id, t) -> {
                    if (t.getSources().stream()
                            .anyMatch(s -> s.startsWith("acme:") || s.startsWith("northlight:"))) {
                        out.put(id, t);
                    }
                });
        return out;
    }

    /** Open questions a stream of review records leaves (the topic is compacted by id). */
    public static Map<String, ReviewItem> openReviews(List<ReviewItem> items) {
        Map<String, ReviewItem> out = new TreeMap<>();
        for (ReviewItem r : items) {
            if ("OPEN".equals(r.getStatus())) {
                out.put(r.getReviewId(), r);
            } else {
                out.remove(r.getReviewId());
            }
        }
        return out;
    }
}
