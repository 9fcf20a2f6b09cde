package dev.marquee.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.metadata.MetadataNormalizationJob;
import dev.marquee.jobs.metadata.MetadataTopology;
import dev.marquee.metadata.Eidr;
import dev.marquee.metadata.FeedRecords;
import dev.marquee.playback.EventTimePublisher;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import dev.marquee.schema.OverrideAction;
import dev.marquee.schema.Provenance;
import dev.marquee.schema.ReviewItem;
import dev.marquee.sql.SqlClientLauncher;
import dev.marquee.testing.OwnBroker;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metadata SQL queries (jobs/sql/queries/metadata-*.sql) through the real Flink SQL client and
 * the generated catalog, over what the metadata-normalization job itself wrote from a small feed of
 * this test's own: each runs to the end and answers with the rows the feed implies, and only the
 * latest version of each title and question counts.
 *
 * <p>The feed has two days: three days ago (titles created then) and today (a descriptive change, a
 * new title, a withdrawal, an EIDR that re-anchors a title, two near-duplicates, an EIDR conflict
 * and a KEEP_APART decision that answers an earlier question).
 */
@ExtendWith(Platform.class)
class MetadataSqlIT {
    /** Today's records: "identity changed today" is about the SQL session's date (UTC). */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    static final Instant EARLIER = NOW.minus(Duration.ofDays(3));
    static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);

    static final String E1 = eidr(1);
    static final String E4 = eidr(4);
    static final String E5 = eidr(5);
    static final String E6 = eidr(6);

    static final String SALT_REVIEW = "match:vendor:acme:R-1|vendor:beta:R-2";
    static final String FERRY_REVIEW = "match:vendor:acme:F-1|vendor:beta:F-2";
    static final String CONFLICT_REVIEW = "conflict:eidr:" + E5 + "|eidr:" + E6;

    /** A broker of its own: the queries read whole topics and must see only this feed. */
    @RegisterExtension static final OwnBroker BROKER = new OwnBroker();

    @BeforeAll
    static void runTheJobOverAFeed() throws Exception {
        TopicClients clients = new TopicClients(BROKER.endpoints());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        env.setParallelism(2);
        MetadataNormalizationJob.wire(
                env,
                JobSettings.local(
                        BROKER.endpoints().bootstrapServers(),
                        BROKER.endpoints().registryUrl(),
                        Duration.ofSeconds(1),
                        "sql-it-" + System.nanoTime()),
                MetadataTopology.Settings.defaults());
        JobClient job = env.executeAsync(MetadataTopology.JOB);
        try (EventTimePublisher p = new EventTimePublisher(clients)) {
            // Three days ago.
            feed(p, "acme", "A-1", "Lantern Bay", 1990, 101, EARLIER, E1, "tt9100001");
            feed(p, "acme", "A-3", "Paper Comet", 1993, 95, EARLIER, "tt9100003");
            feed(p, "beta", "B-4", "Iron Lullaby", 1996, 110, EARLIER, "tt9100004");
            // Similar titles without a shared id (Jaro-Winkler about 0.92): a question.
            feed(p, "acme", "R-1", "Salt Road", 1999, 100, EARLIER);
            feed(p, "beta", "R-2", "Salt Roads West", 1999, 101, EARLIER);
            p.flush();
            await(
                    clients,
                    (titles, reviews) ->
                            titles.keySet()
                                            .containsAll(
                                                    List.of(
                                                            "eidr:" + E1,
                                                            "imdb:tt9100003",
                                                            "imdb:tt9100004",
                                                            "vendor:acme:R-1",
                                                            "vendor:beta:R-2"))
                                    && reviews.containsKey(SALT_REVIEW));

            // Today.
            feed(p, "acme", "A-1", "Lantern Bay", 1990, 104, NOW, E1, "tt9100001");
            feed(p, "northlight", "N-2", "Velvet Tide", 2002, 99, NOW, "tt9100002");
            p.send(
                    Topic.METADATA_FEED_RAW,
                    "acme:A-3",
                    FeedRecord.newBuilder()
                            .setVendor("acme")
                            .setVendorRecordId("A-3")
                            .setWithdrawn(true)
                            .setProvenance(provenance("acme", NOW))
                            .build(),
                    NOW);
            feed(p, "northlight", "N-4", "Iron Lullaby", 1996, 110, NOW, E4, "tt9100004");
            feed(p, "acme", "F-1", "Night Ferry", 2005, 92, NOW);
            feed(p, "beta", "F-2", "Night Ferry Blues", 2005, 93, NOW);
            feed(p, "acme", "C-1", "Cinder Atlas", 2008, 120, NOW, E5, "tt9100005");
            feed(p, "beta", "C-2", "Cinder Atlas", 2008, 120, NOW, E6, "tt9100005");
            EditorialOverride keepApart =
                    EditorialOverride.newBuilder()
                            .setOverrideId("rv-salt")
                            .setContentId("vendor:acme:R-1")
                            .setOtherContentId("vendor:beta:R-2")
                            .setAction(OverrideAction.KEEP_APART)
                            .setEditor("editor@marquee")
                            .setIssuedAt(NOW)
                            .build();
            p.send(Topic.METADATA_OVERRIDES, keepApart.getOverrideId(), keepApart, NOW);
            p.flush();
            await(
                    clients,
                    (titles, reviews) ->
                            has(titles, "eidr:" + E1, t -> t.getVersion() == 2)
                                    && has(titles, "imdb:tt9100002", t -> true)
                                    && has(titles, "imdb:tt9100003", MetadataSqlIT::retired)
                                    && has(titles, "imdb:tt9100004", MetadataSqlIT::retired)
                                    && has(titles, "eidr:" + E4, t -> !retired(t))
                                    && has(titles, "vendor:acme:F-1", t -> true)
                                    && has(titles, "vendor:beta:F-2", t -> true)
                                    && has(titles, "eidr:" + E5, t -> true)
                                    && has(titles, "eidr:" + E6, t -> true)
                                    && status(reviews, SALT_REVIEW).equals("RESOLVED")
                                    && status(reviews, FERRY_REVIEW).equals("OPEN")
                                    && status(reviews, CONFLICT_REVIEW).equals("OPEN"));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void looksATitleUpByAnyOfItsIdsInItsLatestVersion() throws Exception {
        String script =
                query("metadata-title-by-any-id.sql")
                        .replace(
                                "(VALUES ('imdb:tt9000001'))",
                                "(VALUES ('imdb:tt9100001'), ('"
                                        + E1
                                        + "'), ('vendor:northlight:N-4'), ('imdb:tt9100004'),"
                                        + " ('imdb:tt9999999'))");
        assertThat(script).as("the query's wanted view").contains("imdb:tt9100001");
        List<List<String>> rows = rows(run(script).output());
        // looked_up | matched_by | contentId | status | supersededBy | version | ...
        Map<String, List<String>> byLookup =
                rows.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.get(0),
                                        LinkedHashMap::new,
                                        Collectors.mapping(
                                                r -> String.join(" ", r.subList(1, 6)),
                                                Collectors.toList())));
        assertThat(byLookup)
                .as("one row per (id, title) that matched, latest version only")
                .containsOnlyKeys("imdb:tt9100001", E1, "vendor:northlight:N-4", "imdb:tt9100004");
        assertThat(byLookup.get("imdb:tt9100001"))
                .containsExactly("alias eidr:" + E1 + " ACTIVE <NULL> 2");
        assertThat(byLookup.get(E1)).containsExactly("eidr eidr:" + E1 + " ACTIVE <NULL> 2");
        assertThat(byLookup.get("vendor:northlight:N-4"))
                .containsExactly("alias eidr:" + E4 + " ACTIVE <NULL> 1");
        // The IMDb id anchored a title until today's EIDR: the old title is retired in favour
        // of the new one, which carries the IMDb id as an alias.
        assertThat(byLookup.get("imdb:tt9100004"))
                .containsExactly(
                        "alias eidr:" + E4 + " ACTIVE <NULL> 1",
                        "contentId imdb:tt9100004 RETIRED eidr:" + E4 + " 2");
        assertThat(rows)
                .filteredOn(r -> r.get(2).equals("eidr:" + E1))
                .allSatisfy(r -> assertThat(r.get(9)).as("runtime of v2").isEqualTo("104"));
    }

    @Test
    void openQuestionsOnlyWithBothCandidatesTitles() throws Exception {
        List<List<String>> rows = rows(run(query("metadata-review-waiting.sql")).output());
        // reviewId | kind | confidence | candidateA | titlesA | candidateB | titlesB | ...
        assertThat(rows.stream().map(r -> r.get(0)))
                .as("open questions, in order of raisedAt then id; the answered one is gone")
                .containsExactly(CONFLICT_REVIEW, FERRY_REVIEW);
        assertThat(rows.get(0).subList(1, 4))
                .containsExactly("IDENTIFIER_CONFLICT", "<NULL>", "eidr:" + E5);
        assertThat(rows.get(0).get(4)).contains("Cinder Atlas");
        assertThat(rows.get(1).subList(1, 4))
                .containsExactly("LOW_CONFIDENCE_MATCH", "0.9294", "vendor:acme:F-1");
        assertThat(rows.get(1).get(4)).contains("Night Ferry").doesNotContain("Blues");
        assertThat(rows.get(1).get(5)).isEqualTo("vendor:beta:F-2");
        assertThat(rows.get(1).get(6)).contains("Night Ferry Blues");
        assertThat(rows).allSatisfy(r -> assertThat(r.get(9)).isEqualTo("0"));
    }

    @Test
    void identityChangesOfTodayButNotMereDescriptiveChanges() throws Exception {
        SqlClientLauncher.Result result = run(query("metadata-identity-changed-today.sql"));
        assumeThat(LocalDate.now(ZoneOffset.UTC))
                .as("the feed's today is still the SQL session's today")
                .isEqualTo(TODAY);
        List<List<String>> rows = rows(result.output());
        // contentId | status | supersededBy | version | eidr | sources | identityChangedAt
        Map<String, String> byTitle =
                rows.stream()
                        .collect(
                                Collectors.toMap(
                                        r -> r.get(0),
                                        r -> String.join(" ", r.subList(1, 4)),
                                        (a, b) -> a + " / " + b,
                                        LinkedHashMap::new));
        assertThat(byTitle)
                .as(
                        "created, re-anchored, retired and withdrawn today; not eidr:%s (only its"
                                + " runtime changed today) nor the titles of three days ago",
                        E1)
                .containsOnly(
                        Map.entry("imdb:tt9100002", "ACTIVE <NULL> 1"),
                        Map.entry("imdb:tt9100003", "RETIRED <NULL> 2"),
                        Map.entry("imdb:tt9100004", "RETIRED eidr:" + E4 + " 2"),
                        Map.entry("eidr:" + E4, "ACTIVE <NULL> 1"),
                        Map.entry("eidr:" + E5, "ACTIVE <NULL> 1"),
                        Map.entry("eidr:" + E6, "ACTIVE <NULL> 1"),
                        Map.entry("vendor:acme:F-1", "ACTIVE <NULL> 1"),
                        Map.entry("vendor:beta:F-2", "ACTIVE <NULL> 1"));
        assertThat(rows)
                .filteredOn(r -> r.get(0).equals("eidr:" + E4))
                .singleElement()
                .satisfies(r -> assertThat(r.get(5)).contains("beta:B-4", "northlight:N-4"));
    }

    // ------------------------------------------------------------------ the feed

    /** A valid EIDR in canonical form, made from a number. */
    static String eidr(int n) {
        String digits = String.format(Locale.ROOT, "%020X", 0x5A1E0000L + n);
        return Eidr.check(Eidr.PREFIX + digits + Eidr.checkCharacter(digits)).canonical().get();
    }

    static Provenance provenance(String vendor, Instant at) {
        return Provenance.newBuilder()
                .setSourceFeed(vendor)
                .setFile("metadata-sql-it.jsonl")
                .setIngestedAt(at)
                .build();
    }

    /** One feed record, normalized as the ingest does, stamped with its ingest time. */
    static void feed(
            EventTimePublisher p,
            String vendor,
            String id,
            String title,
            int year,
            int runtime,
            Instant at,
            String... ids) {
        FeedRecord record =
                FeedRecords.normalize(
                                FeedRecord.newBuilder()
                                        .setVendor(vendor)
                                        .setVendorRecordId(id)
                                        .setIdentifiers(
                                                Arrays.stream(ids)
                                                        .map(
                                                                i ->
                                                                        Identifier.newBuilder()
                                                                                .setScheme("")
                                                                                .setValue(i)
                                                                                .build())
                                                        .toList())
                                        .setTitles(
                                                List.of(
                                                        LocalizedTitle.newBuilder()
                                                                .setLocale("en-US")
                                                                .setText(title)
                                                                .build()))
                                        .setReleaseYear(year)
                                        .setRuntimeMinutes(runtime)
                                        .setProvenance(provenance(vendor, at))
                                        .build())
                        .valid()
                        .orElseThrow();
        p.send(Topic.METADATA_FEED_RAW, FeedRecords.key(record), record, at);
    }

    static boolean retired(CanonicalTitle t) {
        return "RETIRED".equals(t.getStatus());
    }

    static boolean has(
            Map<String, CanonicalTitle> titles, String contentId, Predicate<CanonicalTitle> p) {
        CanonicalTitle t = titles.get(contentId);
        return t != null && p.test(t);
    }

    static String status(Map<String, ReviewItem> reviews, String reviewId) {
        ReviewItem r = reviews.get(reviewId);
        return r == null ? "" : r.getStatus();
    }

    interface Done {
        boolean test(Map<String, CanonicalTitle> titles, Map<String, ReviewItem> reviews);
    }

    /** Waits until the latest title and review records (as compaction keeps them) say done. */
    static void await(TopicClients clients, Done done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, CanonicalTitle> titles = Map.of();
        Map<String, ReviewItem> reviews = Map.of();
        while (System.nanoTime() < deadline) {
            titles =
                    latest(
                            clients.readAll(Topic.CATALOG_TITLES.topicName(), CanonicalTitle.class),
                            CanonicalTitle::getContentId);
            reviews =
                    latest(
                            clients.readAll(Topic.METADATA_REVIEW.topicName(), ReviewItem.class),
                            ReviewItem::getReviewId);
            if (done.test(titles, reviews)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "the job did not get there; titles " + titles + ", reviews " + reviews);
    }

    static <T extends SpecificRecord> Map<String, T> latest(
            List<T> log, java.util.function.Function<T, String> key) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T t : log) {
            out.put(key.apply(t), t);
        }
        return out;
    }

    // ------------------------------------------------------------------ SQL

    static String query(String file) throws Exception {
        return Files.readString(
                MarqueeHome.detect().sqlDir().resolve("queries/" + file), StandardCharsets.UTF_8);
    }

    static SqlClientLauncher.Result run(String script) throws Exception {
        SqlClientLauncher.Result result =
                SqlClientLauncher.runScript(
                        MarqueeHome.detect(),
                        BROKER.endpoints().override(null, null, SqlClientLauncher.LOCAL),
                        script,
                        Duration.ofMinutes(3));
        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }

    /**
     * The cells of the tableau's data rows, header (the first framed line) left out. Cells are
     * split on the frame's {@code " | "}: review ids and evidence hold a bare {@code |} of their
     * own.
     */
    static List<List<String>> rows(String output) {
        List<List<String>> framed =
                output.lines()
                        .filter(l -> l.startsWith("| ") && l.endsWith(" |"))
                        .map(
                                l ->
                                        Arrays.stream(
                                                        l.substring(2, l.length() - 2)
                                                                .split(" \\| ", -1))
                                                .map(String::strip)
                                                .toList())
                        .toList();
        return framed.isEmpty() ? framed : framed.subList(1, framed.size());
    }
}
