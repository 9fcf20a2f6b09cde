package dev.marquee.jobs.metadata;

import dev.marquee.io.DeadLetters;
import dev.marquee.metadata.FeedRecords;
import dev.marquee.metadata.Identifiers;
import dev.marquee.metadata.Overrides;
import dev.marquee.metadata.TitleMatcher;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.FieldProvenance;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.OverrideAction;
import dev.marquee.schema.ReviewItem;
import dev.marquee.topics.Topic;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The identifier graph: holds every current feed record and editorial override, and re-resolves the
 * part of the catalog an input touches ({@link TitleResolver} over the connected region of records
 * linked by a shared id, a similar title, an override or a former common title). Emits a {@link
 * CanonicalTitle} only when a title's content changes (version + 1), a RETIRED title when its
 * records are withdrawn or move to another title, and review questions (OPEN, later RESOLVED) on
 * {@link #REVIEWS}.
 *
 * <p>Everything is keyed by one constant ({@link #KEY}) so that cross-key resolution (two records
 * linked through ids that name different keys) sees the whole graph: parallelism one for this
 * operator. docs/metadata.md explains the trade-off and how it would scale out.
 *
 * <p>Per vendor record the newest version wins (by ingest time, then content, so the outcome does
 * not depend on arrival order); a withdrawal removes the record and leaves a tombstone that refuses
 * older versions arriving late, until event time passes the withdrawal plus the allowed lateness,
 * when the tombstone is cleared too. Records behind the watermark by more than the allowed lateness
 * go to the DLQ (LATE). Override withdrawals work the same way.
 */
public class IdentityGraph
        extends KeyedCoProcessFunction<String, FeedRecord, EditorialOverride, CanonicalTitle> {
    private static final long serialVersionUID = 1L;

    /** The one key of the graph. */
    public static final String KEY = "catalog";

    public static final OutputTag<ReviewItem> REVIEWS =
            new OutputTag<>("metadata-review", new AvroTypeInfo<>(ReviewItem.class));

    public static final String ACTIVE = "ACTIVE";
    public static final String RETIRED = "RETIRED";
    public static final String RESOLVED = "RESOLVED";

    private final long allowedLatenessMs;
    private final String job;
    private final OutputTag<DeadLetter> deadLetters = DeadLetters.tag();

    private transient MapState<String, FeedRecord> records;
    private transient MapState<String, FeedRecord> recordTombstones;
    private transient MapState<String, EditorialOverride> overrides;
    private transient MapState<String, Long> overrideTombstones;
    private transient MapState<String, List<String>> idIndex;
    private transient MapState<Integer, List<String>> legacyYearIndex;
    private transient MapState<String, List<String>> overrideIndex;
    private transient MapState<String, String> recordTitle;
    private transient MapState<String, CanonicalTitle> titles;
    private transient MapState<String, ReviewItem> reviews;
    private transient MapState<String, List<String>> reviewIndex;

    /**
     * Derived from {@link #records}, kept in memory only: every stored record's match profile, by
     * year and runtime band (the candidates a record is compared with). Built from the records on
     * the first input after the task starts, then kept in step with them.
     */
    private transient MatchCandidates candidates;

    private transient boolean derivedReady;

    /**
     * The id-index lists this input has written, so its re-resolution does not read them back
     * (cleared per input).
     */
    private transient Map<String, List<String>> writtenIds;

    private transient Counter superseded;
    private transient Counter late;
    private transient Counter emitted;

    public IdentityGraph(long allowedLatenessMs, String job) {
        this.allowedLatenessMs = allowedLatenessMs;
        this.job = job;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        records =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "records", Types.STRING, new AvroTypeInfo<>(FeedRecord.class)));
        recordTombstones =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "record-tombstones",
                                Types.STRING,
                                new AvroTypeInfo<>(FeedRecord.class)));
        overrides =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "overrides",
                                Types.STRING,
                                new AvroTypeInfo<>(EditorialOverride.class)));
        overrideTombstones =
                ctx.getMapState(
                        new MapStateDescriptor<>("override-tombstones", Types.STRING, Types.LONG));
        idIndex =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "id-index", Types.STRING, Types.LIST(Types.STRING)));
        // Earlier versions kept the release-year index as state; it is derived in memory now and
        // this only clears what an old savepoint brought along (see ensureDerived).
        legacyYearIndex =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "year-index", Types.INT, Types.LIST(Types.STRING)));
        overrideIndex =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "override-index", Types.STRING, Types.LIST(Types.STRING)));
        recordTitle =
                ctx.getMapState(
                        new MapStateDescriptor<>("record-title", Types.STRING, Types.STRING));
        titles =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "titles", Types.STRING, new AvroTypeInfo<>(CanonicalTitle.class)));
        reviews =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "reviews", Types.STRING, new AvroTypeInfo<>(ReviewItem.class)));
        reviewIndex =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "review-index", Types.STRING, Types.LIST(Types.STRING)));
        candidates = new MatchCandidates();
        writtenIds = new HashMap<>();
        derivedReady = false;
        superseded = ctx.getMetricGroup().counter("supersededRecords");
        late = ctx.getMetricGroup().counter("lateRecords");
        emitted = ctx.getMetricGroup().counter("titleVersions");
    }

    // ---------------------------------------------------------------- feed records

    @Override
    public void processElement1(FeedRecord record, Context ctx, Collector<CanonicalTitle> out)
            throws Exception {
        ensureDerived();
        writtenIds.clear();
        String key = FeedRecords.key(record);
        long at = record.getProvenance().getIngestedAt().toEpochMilli();
        if (isLate(ctx)) {
            late.inc();
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            Topic.METADATA_FEED_RAW.topicName(),
                            key,
                            record,
                            DeadLetterCategory.LATE,
                            lateReason(ctx),
                            job));
            return;
        }
        FeedRecord tomb = recordTombstones.get(key);
        FeedRecord stored = records.get(key);
        if ((tomb != null && !newer(record, tomb)) || (stored != null && !newer(record, stored))) {
            superseded.inc(); // an older version or a duplicate: the newer one already holds
            return;
        }
        if (stored != null) {
            unindex(key, stored);
        }
        // Removing a key that is not there still writes (a RocksDB delete): only when it is.
        if (record.getWithdrawn()) {
            if (stored != null) {
                records.remove(key);
            }
            recordTombstones.put(key, record);
            ctx.timerService().registerEventTimeTimer(at + allowedLatenessMs);
            if (stored == null) {
                return;
            }
        } else {
            if (tomb != null) {
                recordTombstones.remove(key);
            }
            records.put(key, record);
            index(key, record);
        }
        recompute(
                Set.of(key),
                Set.of(),
                record.getWithdrawn() ? Map.of() : Map.of(key, record),
                Instant.ofEpochMilli(at),
                ctx,
                out);
    }

    /** Newest ingest time wins; equal times are ordered by content so arrival order never is. */
    static boolean newer(FeedRecord a, FeedRecord b) {
        int c = a.getProvenance().getIngestedAt().compareTo(b.getProvenance().getIngestedAt());
        return c != 0 ? c > 0 : a.toString().compareTo(b.toString()) > 0;
    }

    // ---------------------------------------------------------------- overrides

    @Override
    public void processElement2(
            EditorialOverride override, Context ctx, Collector<CanonicalTitle> out)
            throws Exception {
        ensureDerived();
        writtenIds.clear();
        long at = override.getIssuedAt().toEpochMilli();
        if (isLate(ctx)) {
            late.inc();
            ctx.output(
                    deadLetters,
                    DeadLetters.of(
                            Topic.METADATA_OVERRIDES.topicName(),
                            override.getContentId(),
                            override,
                            DeadLetterCategory.LATE,
                            lateReason(ctx),
                            job));
            return;
        }
        if (override.getAction() == OverrideAction.WITHDRAW) {
            String target = override.getWithdrawsOverrideId();
            Long tomb = overrideTombstones.get(target);
            if (tomb == null || at > tomb) {
                overrideTombstones.put(target, at);
                ctx.timerService().registerEventTimeTimer(at + allowedLatenessMs);
            }
            EditorialOverride stored = overrides.get(target);
            if (stored != null && !stored.getIssuedAt().isAfter(override.getIssuedAt())) {
                overrides.remove(target);
                unindex(stored);
                recompute(
                        Set.of(), contentIdsOf(stored), Map.of(), override.getIssuedAt(), ctx, out);
            }
            return;
        }
        Long tomb = overrideTombstones.get(override.getOverrideId());
        if (tomb != null && at <= tomb) {
            superseded.inc();
            return;
        }
        EditorialOverride stored = overrides.get(override.getOverrideId());
        if (stored != null && !TitleResolver.newer(override, stored)) {
            superseded.inc();
            return;
        }
        Set<String> seeds = new TreeSet<>(contentIdsOf(override));
        if (stored != null) {
            unindex(stored);
            seeds.addAll(contentIdsOf(stored));
        }
        overrides.put(override.getOverrideId(), override);
        for (String c : contentIdsOf(override)) {
            add(overrideIndex, c, override.getOverrideId());
        }
        recompute(Set.of(), seeds, Map.of(), override.getIssuedAt(), ctx, out);
    }

    private static Set<String> contentIdsOf(EditorialOverride o) {
        Set<String> ids = new TreeSet<>();
        ids.add(Overrides.canonicalContentId(o.getContentId()));
        if (o.getOtherContentId() != null) {
            ids.add(Overrides.canonicalContentId(o.getOtherContentId()));
        }
        return ids;
    }

    // ---------------------------------------------------------------- time

    private boolean isLate(Context ctx) {
        Long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        return ts != null
                && watermark > Long.MIN_VALUE + allowedLatenessMs
                && ts < watermark - allowedLatenessMs;
    }

    private String lateReason(Context ctx) {
        return "event time "
                + Instant.ofEpochMilli(ctx.timestamp())
                + " is more than the allowed lateness ("
                + allowedLatenessMs / 60_000
                + " min) behind the watermark "
                + Instant.ofEpochMilli(ctx.timerService().currentWatermark())
                + ": withdrawals this old are forgotten, so it cannot be ordered safely";
    }

    /** Tombstones are only needed while older versions may still arrive: then they go. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CanonicalTitle> out)
            throws Exception {
        List<String> expired = new ArrayList<>();
        for (var e : recordTombstones.entries()) {
            if (e.getValue().getProvenance().getIngestedAt().toEpochMilli() + allowedLatenessMs
                    <= timestamp) {
                expired.add(e.getKey());
            }
        }
        for (String k : expired) {
            recordTombstones.remove(k);
        }
        expired.clear();
        for (var e : overrideTombstones.entries()) {
            if (e.getValue() + allowedLatenessMs <= timestamp) {
                expired.add(e.getKey());
            }
        }
        for (String k : expired) {
            overrideTombstones.remove(k);
        }
        expired.clear();
        for (var e : titles.entries()) {
            if (RETIRED.equals(e.getValue().getStatus())
                    && e.getValue().getUpdatedAt().toEpochMilli() + allowedLatenessMs
                            <= timestamp) {
                expired.add(e.getKey());
            }
        }
        for (String k : expired) {
            titles.remove(k);
        }
    }

    // ---------------------------------------------------------------- indexes

    private void index(String key, FeedRecord record) throws Exception {
        for (Identifier id : TitleResolver.linkIds(record)) {
            String c = Identifiers.contentId(id);
            writtenIds.put(c, add(idIndex, c, key));
        }
        indexForMatching(key, record);
    }

    private void indexForMatching(String key, FeedRecord record) {
        candidates.put(key, TitleMatcher.Profile.of(record));
    }

    private void unindex(String key, FeedRecord record) throws Exception {
        for (Identifier id : TitleResolver.linkIds(record)) {
            String c = Identifiers.contentId(id);
            writtenIds.put(c, remove(idIndex, c, key));
        }
        candidates.remove(key);
    }

    private void unindex(EditorialOverride o) throws Exception {
        for (String c : contentIdsOf(o)) {
            remove(overrideIndex, c, o.getOverrideId());
        }
    }

    private void index(ReviewItem r) throws Exception {
        add(reviewIndex, r.getCandidateA(), r.getReviewId());
        add(reviewIndex, r.getCandidateB(), r.getReviewId());
    }

    private void unindex(ReviewItem r) throws Exception {
        remove(reviewIndex, r.getCandidateA(), r.getReviewId());
        remove(reviewIndex, r.getCandidateB(), r.getReviewId());
    }

    /**
     * Builds what is derived in memory from the stored records (once per task start, on its first
     * input: keyed state needs the key of an input), and brings state written by earlier versions
     * up to date: their release-year index goes (it is derived now), and open questions without the
     * index by title (added later) get it.
     */
    private void ensureDerived() throws Exception {
        if (derivedReady) {
            return;
        }
        derivedReady = true;
        candidates.clear();
        for (var e : records.entries()) {
            indexForMatching(e.getKey(), e.getValue());
        }
        legacyYearIndex.clear();
        if (reviewIndex.isEmpty() && !reviews.isEmpty()) {
            for (ReviewItem r : reviews.values()) {
                index(r);
            }
        }
    }

    /** Adds a value to a key's list; returns the list now stored. */
    private static <K> List<String> add(MapState<K, List<String>> index, K k, String value)
            throws Exception {
        List<String> list = index.get(k);
        list = list == null ? new ArrayList<>() : new ArrayList<>(list);
        if (!list.contains(value)) {
            list.add(value);
            index.put(k, list);
        }
        return list;
    }

    /** Removes a value from a key's list; returns the list now stored (empty: none). */
    private static <K> List<String> remove(MapState<K, List<String>> index, K k, String value)
            throws Exception {
        List<String> list = index.get(k);
        if (list == null) {
            return List.of();
        }
        list = new ArrayList<>(list);
        list.remove(value);
        if (list.isEmpty()) {
            index.remove(k);
        } else {
            index.put(k, list);
        }
        return list;
    }

    /** The records holding an id: as this input wrote them, else from state. */
    private List<String> ids(String contentId) throws Exception {
        List<String> written = writtenIds.get(contentId);
        return written != null ? written : get(idIndex, contentId);
    }

    private static <K> List<String> get(MapState<K, List<String>> index, K k) throws Exception {
        List<String> list = index.get(k);
        return list == null ? List.of() : list;
    }

    // ---------------------------------------------------------------- re-resolution

    /**
     * Re-resolves the region around the seeds: every record reachable through shared ids, similar
     * titles, decisions, and the titles the seeds were part of. The region is a union of whole
     * connected parts of the graph, so resolving it alone gives what resolving everything would.
     */
    private void recompute(
            Set<String> seedKeys,
            Set<String> seedContentIds,
            Map<String, FeedRecord> known,
            Instant at,
            Context ctx,
            Collector<CanonicalTitle> out)
            throws Exception {
        Deque<String> queue = new ArrayDeque<>(seedKeys);
        Set<String> previous = new TreeSet<>();
        for (String c : seedContentIds) {
            queue.addAll(ids(c));
            CanonicalTitle old = titles.get(c);
            if (old != null && previous.add(c)) {
                queue.addAll(old.getSources());
            }
        }
        Set<String> visited = new HashSet<>();
        Map<String, String> titleBefore = new HashMap<>();
        Map<String, FeedRecord> region = new TreeMap<>();
        Map<String, EditorialOverride> relevant = new TreeMap<>();
        while (!queue.isEmpty()) {
            String key = queue.poll();
            if (!visited.add(key)) {
                continue;
            }
            String before = recordTitle.get(key);
            titleBefore.put(key, before);
            if (before != null && previous.add(before)) {
                CanonicalTitle old = titles.get(before);
                if (old != null) {
                    queue.addAll(old.getSources());
                }
            }
            FeedRecord record = known.get(key);
            if (record == null) {
                record = records.get(key);
            }
            if (record == null) {
                continue;
            }
            region.put(key, record);
            for (Identifier id : TitleResolver.linkIds(record)) {
                String c = Identifiers.contentId(id);
                queue.addAll(ids(c));
                for (String overrideId : get(overrideIndex, c)) {
                    EditorialOverride o = overrides.get(overrideId);
                    if (o == null) {
                        continue;
                    }
                    relevant.put(overrideId, o);
                    for (String linked : contentIdsOf(o)) {
                        queue.addAll(ids(linked));
                    }
                }
            }
            TitleMatcher.Profile stored = candidates.profile(key);
            // Every stored record has one; computing it is only a defence.
            TitleMatcher.Profile p = stored != null ? stored : TitleMatcher.Profile.of(record);
            // Candidates from memory, only those of neighbouring years and runtimes whose title
            // keys can be similar enough: no state read per candidate (on RocksDB that was a whole
            // FeedRecord deserialized, and the year's key list read and rewritten).
            candidates.forEachPossiblyRelated(
                    p,
                    (other, profile) -> {
                        if (!visited.contains(other)
                                && TitleMatcher.related(p, profile).isPresent()) {
                            queue.add(other);
                        }
                    });
        }

        TitleResolver.Resolution resolution =
                TitleResolver.resolve(region.values(), relevant.values());
        Map<String, String> newTitleOf = new HashMap<>();
        for (CanonicalTitle t : resolution.titles().values()) {
            for (String s : t.getSources()) {
                newTitleOf.put(s, t.getContentId());
            }
        }

        for (CanonicalTitle fresh : resolution.titles().values()) {
            CanonicalTitle old = titles.get(fresh.getContentId());
            if (old != null && sameContent(old, fresh)) {
                continue;
            }
            boolean identityChanged =
                    old == null
                            || RETIRED.equals(old.getStatus())
                            || !old.getSources().equals(fresh.getSources())
                            || !Objects.equals(old.getEidr(), fresh.getEidr());
            // The resolution's title is this call's own: stamped in place, not copied.
            CanonicalTitle next = fresh;
            next.setVersion(old == null ? 1 : old.getVersion() + 1);
            next.setUpdatedAt(at);
            next.setStatus(ACTIVE);
            next.setIdentityChangedAt(identityChanged ? at : old.getIdentityChangedAt());
            titles.put(next.getContentId(), next);
            emitted.inc();
            out.collect(next);
        }
        for (String c : previous) {
            if (resolution.titles().containsKey(c)) {
                continue;
            }
            CanonicalTitle old = titles.get(c);
            if (old == null || RETIRED.equals(old.getStatus())) {
                continue;
            }
            Map<String, Integer> movedTo = new TreeMap<>();
            for (String s : old.getSources()) {
                String now = newTitleOf.get(s);
                if (now != null) {
                    movedTo.merge(now, 1, Integer::sum);
                }
            }
            String successor =
                    movedTo.entrySet().stream()
                            .max(Map.Entry.<String, Integer>comparingByValue())
                            .map(Map.Entry::getKey)
                            .orElse(null);
            CanonicalTitle retired =
                    CanonicalTitle.newBuilder(old)
                            .setVersion(old.getVersion() + 1)
                            .setStatus(RETIRED)
                            .setSupersededBy(successor)
                            .setUpdatedAt(at)
                            .setIdentityChangedAt(at)
                            .build();
            // Kept (small) for the allowed lateness, so a title that comes back soon continues
            // its version numbers instead of starting again at 1; then forgotten.
            titles.put(c, retired);
            ctx.timerService().registerEventTimeTimer(at.toEpochMilli() + allowedLatenessMs);
            emitted.inc();
            out.collect(retired);
        }
        for (String key : visited) {
            String now = newTitleOf.get(key);
            if (now == null) {
                recordTitle.remove(key);
            } else if (!now.equals(titleBefore.get(key))) {
                recordTitle.put(key, now);
            }
        }

        // Review questions of the region: new ones are asked once, answered ones are closed.
        Set<String> involved = new TreeSet<>(previous);
        involved.addAll(resolution.titles().keySet());
        // The open questions naming a title of the region, through the index by title (not a
        // scan of every open question, which on RocksDB deserializes each one per input).
        Map<String, ReviewItem> before = new TreeMap<>();
        for (String c : involved) {
            for (String reviewId : get(reviewIndex, c)) {
                if (!before.containsKey(reviewId)) {
                    ReviewItem r = reviews.get(reviewId);
                    if (r != null) {
                        before.put(reviewId, r);
                    }
                }
            }
        }
        for (ReviewItem item : resolution.reviews().values()) {
            ReviewItem old = before.remove(item.getReviewId());
            if (old == null || !sameQuestion(old, item)) {
                if (old != null) {
                    unindex(old);
                }
                reviews.put(item.getReviewId(), item);
                index(item);
                ctx.output(REVIEWS, item);
            }
        }
        for (ReviewItem answered : before.values()) {
            reviews.remove(answered.getReviewId());
            unindex(answered);
            ctx.output(
                    REVIEWS,
                    ReviewItem.newBuilder(answered).setStatus(RESOLVED).setRaisedAt(at).build());
        }
    }

    private static boolean sameQuestion(ReviewItem a, ReviewItem b) {
        return Objects.equals(a.getConfidence(), b.getConfidence())
                && a.getDetail().equals(b.getDetail())
                && a.getKind() == b.getKind();
    }

    /**
     * Whether two versions say the same thing: everything but the version, the times and the ingest
     * times in provenance (a re-ingest of the same facts is not a change).
     */
    public static boolean sameContent(CanonicalTitle a, CanonicalTitle b) {
        // What comparable(a).equals(comparable(b)) says, field by field, without two deep copies
        // per re-resolved title.
        for (Schema.Field f : CanonicalTitle.getClassSchema().getFields()) {
            switch (f.name()) {
                case "version", "updatedAt", "identityChangedAt" -> {}
                case "provenance" -> {
                    if (!sameProvenance(a.getProvenance(), b.getProvenance())) {
                        return false;
                    }
                }
                default -> {
                    if (!Objects.equals(a.get(f.pos()), b.get(f.pos()))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean sameProvenance(List<FieldProvenance> a, List<FieldProvenance> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            FieldProvenance x = a.get(i);
            FieldProvenance y = b.get(i);
            if (!x.getField().equals(y.getField()) || !x.getSource().equals(y.getSource())) {
                return false;
            }
        }
        return true;
    }

    public static CanonicalTitle comparable(CanonicalTitle t) {
        List<FieldProvenance> prov = new ArrayList<>();
        for (FieldProvenance p : t.getProvenance()) {
            prov.add(FieldProvenance.newBuilder(p).setAt(Instant.EPOCH).build());
        }
        return CanonicalTitle.newBuilder(t)
                .setVersion(0)
                .setUpdatedAt(Instant.EPOCH)
                .setIdentityChangedAt(null)
                .setProvenance(prov)
                .build();
    }
}
