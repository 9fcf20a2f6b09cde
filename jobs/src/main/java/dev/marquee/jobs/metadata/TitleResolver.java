package dev.marquee.jobs.metadata;

import dev.marquee.metadata.FeedRecords;
import dev.marquee.metadata.Identifiers;
import dev.marquee.metadata.Overrides;
import dev.marquee.metadata.TitleMatcher;
import dev.marquee.schema.AssetRef;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.FieldProvenance;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import dev.marquee.schema.OverrideAction;
import dev.marquee.schema.ReviewItem;
import dev.marquee.schema.ReviewKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which feed records describe the same work, and what the canonical title of each work is: a pure
 * function of a set of current feed records and editorial overrides. Because it depends only on the
 * set (every choice is made in a fixed order of keys, never in arrival order), the job's catalog
 * cannot depend on the order feeds arrive in; the property tests hold it to that.
 *
 * <ol>
 *   <li>Records sharing a valid identifier are one title (each record also carries its own vendor
 *       key as an identifier). EIDR is the authority: a link that would put two different EIDRs
 *       into one title is refused and becomes an IDENTIFIER_CONFLICT review instead.
 *   <li>A MERGE decision (override) joins the two titles it names, whatever their ids say.
 *   <li>Titles sharing no identifier are compared by {@link TitleMatcher}: at or above {@link
 *       TitleMatcher#MERGE} they merge (the score is recorded), between the thresholds a
 *       LOW_CONFIDENCE_MATCH review is raised, unless a KEEP_APART decision exists or their
 *       authoritative ids (EIDR, IMDb, TMDB) say they are different works.
 *   <li>Each title takes, per field, the value most of its records agree on (ties to the smallest
 *       record key), then SET_FIELD overrides on any of its ids, latest last.
 * </ol>
 *
 * <p>The content id is {@code eidr:<EIDR>} when the title has an EIDR, else its best other id
 * ({@link Identifiers#ANCHOR_ORDER}) as {@code scheme:value}. Versions and times are the job's
 * business ({@link IdentityGraph}): titles come out with version 0 and updatedAt at the epoch.
 */
public final class TitleResolver {

    private TitleResolver() {}

    /** Canonical titles by contentId, and the open review questions by reviewId. */
    public record Resolution(Map<String, CanonicalTitle> titles, Map<String, ReviewItem> reviews) {}

    /** The identifiers a record stands for: its own valid ones and its vendor key. */
    public static List<Identifier> linkIds(FeedRecord record) {
        List<Identifier> ids = new ArrayList<>();
        for (Identifier id : record.getIdentifiers()) {
            if (id.getValid()) {
                ids.add(id);
            }
        }
        ids.add(vendorKeyId(record));
        return ids;
    }

    /** The record's own key as an identifier: vendor:&lt;vendor&gt; / vendorRecordId. */
    public static Identifier vendorKeyId(FeedRecord record) {
        return Identifier.newBuilder()
                .setScheme(Identifiers.vendorScheme(record.getVendor()))
                .setValue(record.getVendorRecordId())
                .setValid(true)
                .build();
    }

    /** Overrides in force: latest version of each id, minus those a WITHDRAW took back. */
    public static List<EditorialOverride> active(Collection<EditorialOverride> all) {
        Map<String, EditorialOverride> latest = new TreeMap<>();
        Map<String, Instant> withdrawn = new HashMap<>();
        for (EditorialOverride o : all) {
            if (o.getAction() == OverrideAction.WITHDRAW) {
                withdrawn.merge(
                        o.getWithdrawsOverrideId(),
                        o.getIssuedAt(),
                        (a, b) -> a.isAfter(b) ? a : b);
            } else {
                latest.merge(o.getOverrideId(), o, (a, b) -> newer(b, a) ? b : a);
            }
        }
        List<EditorialOverride> out = new ArrayList<>();
        for (EditorialOverride o : latest.values()) {
            Instant w = withdrawn.get(o.getOverrideId());
            if (w == null || o.getIssuedAt().isAfter(w)) {
                out.add(o);
            }
        }
        return out;
    }

    static boolean newer(EditorialOverride a, EditorialOverride b) {
        int c = a.getIssuedAt().compareTo(b.getIssuedAt());
        return c != 0 ? c > 0 : a.toString().compareTo(b.toString()) > 0;
    }

    public static Resolution resolve(
            Collection<FeedRecord> records, Collection<EditorialOverride> activeOverrides) {
        return new Run(records, activeOverrides).resolve();
    }

    /** One resolution: the union-find over records and everything derived from it. */
    private static final class Run {
        final List<FeedRecord> records;
        final List<String> keys;
        final int[] parent;
        final Map<String, List<Integer>> byId = new TreeMap<>();
        final List<EditorialOverride> overrides;

        /** Decisions per unordered pair of content ids: the latest MERGE or KEEP_APART. */
        final Map<String, EditorialOverride> decisions = new TreeMap<>();

        final Map<Integer, Double> mergeScore = new HashMap<>();
        final List<int[]> conflicts = new ArrayList<>();
        final List<String> conflictIds = new ArrayList<>();

        Run(Collection<FeedRecord> input, Collection<EditorialOverride> overrides) {
            this.records = new ArrayList<>(input);
            this.records.sort(Comparator.comparing(FeedRecords::key));
            this.keys = this.records.stream().map(FeedRecords::key).toList();
            this.parent = new int[records.size()];
            for (int i = 0; i < parent.length; i++) {
                parent[i] = i;
                for (Identifier id : linkIds(records.get(i))) {
                    byId.computeIfAbsent(Identifiers.contentId(id), k -> new ArrayList<>()).add(i);
                }
            }
            this.overrides =
                    overrides.stream()
                            .sorted(
                                    Comparator.comparing(EditorialOverride::getIssuedAt)
                                            .thenComparing(EditorialOverride::getOverrideId))
                            .toList();
            for (EditorialOverride o : this.overrides) {
                if (o.getAction() == OverrideAction.MERGE
                        || o.getAction() == OverrideAction.KEEP_APART) {
                    decisions.put(
                            pair(
                                    Overrides.canonicalContentId(o.getContentId()),
                                    Overrides.canonicalContentId(o.getOtherContentId())),
                            o);
                }
            }
        }

        int find(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        /** Joins two groups; the smaller index becomes the root, so roots are deterministic. */
        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }

        Set<String> idsOf(int root, Function<Identifier, Boolean> which) {
            Set<String> out = new TreeSet<>();
            for (int i = 0; i < records.size(); i++) {
                if (find(i) == root) {
                    for (Identifier id : linkIds(records.get(i))) {
                        if (which.apply(id)) {
                            out.add(id.getScheme() + "|" + id.getValue());
                        }
                    }
                }
            }
            return out;
        }

        Set<String> eidrs(int root) {
            return idsOf(root, id -> Identifiers.EIDR.equals(id.getScheme()));
        }

        /** Two groups whose authoritative ids (EIDR, IMDb, TMDB) disagree are different works. */
        boolean authoritativeConflict(int ra, int rb) {
            Map<String, String> a = new HashMap<>();
            for (String s : idsOf(ra, id -> Identifiers.AUTHORITATIVE.contains(id.getScheme()))) {
                a.merge(s.substring(0, s.indexOf('|')), s, (x, y) -> x);
            }
            Set<String> mine = idsOf(ra, id -> Identifiers.AUTHORITATIVE.contains(id.getScheme()));
            for (String s : idsOf(rb, id -> Identifiers.AUTHORITATIVE.contains(id.getScheme()))) {
                String scheme = s.substring(0, s.indexOf('|'));
                if (a.containsKey(scheme) && !mine.contains(s)) {
                    return true;
                }
            }
            return false;
        }

        /** The latest decision between two groups, if an editor made one. */
        EditorialOverride decision(int ra, int rb) {
            EditorialOverride found = null;
            for (EditorialOverride o : decisions.values()) {
                List<Integer> x = byId.get(Overrides.canonicalContentId(o.getContentId()));
                List<Integer> y = byId.get(Overrides.canonicalContentId(o.getOtherContentId()));
                if (x == null || y == null) {
                    continue;
                }
                int gx = find(x.get(0));
                int gy = find(y.get(0));
                if ((gx == ra && gy == rb) || (gx == rb && gy == ra)) {
                    if (found == null || newer(o, found)) {
                        found = o;
                    }
                }
            }
            return found;
        }

        Resolution resolve() {
            // 1. shared valid identifiers, EIDR first, in a fixed order; EIDR conflicts refused.
            List<String> idKeys = new ArrayList<>(byId.keySet());
            idKeys.sort(
                    Comparator.comparing((String k) -> !k.startsWith(Identifiers.EIDR + ":"))
                            .thenComparing(k -> k));
            for (String idKey : idKeys) {
                List<Integer> holders = byId.get(idKey);
                for (int j = 1; j < holders.size(); j++) {
                    int ra = find(holders.get(0));
                    int rb = find(holders.get(j));
                    if (ra == rb) {
                        continue;
                    }
                    Set<String> both = new TreeSet<>(eidrs(ra));
                    both.addAll(eidrs(rb));
                    if (both.size() > 1) {
                        conflicts.add(new int[] {holders.get(0), holders.get(j)});
                        conflictIds.add(idKey);
                    } else {
                        union(ra, rb);
                    }
                }
            }
            // 2. editors' MERGE decisions.
            for (EditorialOverride o : decisions.values()) {
                if (o.getAction() != OverrideAction.MERGE) {
                    continue;
                }
                List<Integer> x = byId.get(Overrides.canonicalContentId(o.getContentId()));
                List<Integer> y = byId.get(Overrides.canonicalContentId(o.getOtherContentId()));
                if (x != null && y != null) {
                    union(x.get(0), y.get(0));
                }
            }
            // 3. titles, years and runtimes, strongest pairs first.
            List<TitleMatcher.Profile> profiles =
                    records.stream().map(TitleMatcher.Profile::of).toList();
            List<double[]> pairs = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                for (int j = i + 1; j < records.size(); j++) {
                    if (find(i) == find(j)) {
                        continue;
                    }
                    OptionalDouble s = TitleMatcher.related(profiles.get(i), profiles.get(j));
                    if (s.isPresent()) {
                        pairs.add(new double[] {s.getAsDouble(), i, j});
                    }
                }
            }
            pairs.sort(
                    Comparator.comparingDouble((double[] p) -> -p[0])
                            .thenComparingDouble(p -> p[1])
                            .thenComparingDouble(p -> p[2]));
            for (double[] p : pairs) {
                int ra = find((int) p[1]);
                int rb = find((int) p[2]);
                if (p[0] < TitleMatcher.MERGE || ra == rb || authoritativeConflict(ra, rb)) {
                    continue;
                }
                EditorialOverride d = decision(ra, rb);
                if (d != null && d.getAction() == OverrideAction.KEEP_APART) {
                    continue;
                }
                double score =
                        Math.min(
                                p[0],
                                Math.min(
                                        mergeScore.getOrDefault(ra, 1.0),
                                        mergeScore.getOrDefault(rb, 1.0)));
                union(ra, rb);
                mergeScore.put(find(ra), score);
            }

            // 4. one title per group.
            Map<Integer, List<Integer>> groups = new TreeMap<>();
            for (int i = 0; i < records.size(); i++) {
                groups.computeIfAbsent(find(i), k -> new ArrayList<>()).add(i);
            }
            Map<Integer, String> contentIds = new HashMap<>();
            Map<String, CanonicalTitle> titles = new TreeMap<>();
            for (var group : groups.entrySet()) {
                CanonicalTitle title = build(group.getValue(), mergeScore.get(group.getKey()));
                contentIds.put(group.getKey(), title.getContentId());
                titles.put(title.getContentId(), title);
            }

            // 5. questions for people.
            Map<String, ReviewItem> reviews = new TreeMap<>();
            for (int c = 0; c < conflicts.size(); c++) {
                int ra = find(conflicts.get(c)[0]);
                int rb = find(conflicts.get(c)[1]);
                if (ra == rb || decision(ra, rb) != null) {
                    continue;
                }
                ReviewItem item =
                        review(
                                ReviewKind.IDENTIFIER_CONFLICT,
                                contentIds.get(ra),
                                contentIds.get(rb),
                                null,
                                "both share "
                                        + conflictIds.get(c)
                                        + " but carry different EIDRs: "
                                        + eidrs(ra)
                                        + " vs "
                                        + eidrs(rb),
                                titles);
                reviews.putIfAbsent(item.getReviewId(), item);
            }
            Map<String, Double> best = new TreeMap<>();
            for (double[] p : pairs) {
                int ra = find((int) p[1]);
                int rb = find((int) p[2]);
                if (ra == rb || authoritativeConflict(ra, rb) || decision(ra, rb) != null) {
                    continue;
                }
                best.merge(ra < rb ? ra + "|" + rb : rb + "|" + ra, p[0], Math::max);
            }
            for (var e : best.entrySet()) {
                String[] rs = e.getKey().split("\\|");
                String a = contentIds.get(Integer.parseInt(rs[0]));
                String b = contentIds.get(Integer.parseInt(rs[1]));
                ReviewItem item =
                        review(
                                ReviewKind.LOW_CONFIDENCE_MATCH,
                                a,
                                b,
                                e.getValue(),
                                "similar titles without a shared id: "
                                        + describe(titles.get(a))
                                        + " vs "
                                        + describe(titles.get(b)),
                                titles);
                reviews.putIfAbsent(item.getReviewId(), item);
            }
            return new Resolution(titles, reviews);
        }

        CanonicalTitle build(List<Integer> members, Double matchConfidence) {
            Map<String, Identifier> ids = new TreeMap<>();
            for (int i : members) {
                List<Identifier> all = new ArrayList<>(records.get(i).getIdentifiers());
                all.add(vendorKeyId(records.get(i)));
                for (Identifier id : all) {
                    String k = id.getScheme() + "|" + id.getValue();
                    Identifier seen = ids.get(k);
                    if (seen == null || (seen.getValid() && !id.getValid())) {
                        ids.put(k, Identifier.newBuilder(id).build());
                    }
                }
            }
            List<Identifier> sorted = new ArrayList<>(ids.values());
            sorted.sort(Identifiers.ANCHOR_ORDER);
            Identifier anchor = anchor(sorted);
            String contentId = Identifiers.contentId(anchor);
            List<Identifier> aliases = new ArrayList<>(sorted);
            aliases.remove(anchor);

            List<FieldProvenance> provenance = new ArrayList<>();
            int anchorSource =
                    members.stream()
                            .filter(i -> linkIds(records.get(i)).contains(anchor))
                            .findFirst()
                            .orElse(members.get(0));
            provenance.add(prov("contentId", anchorSource));

            Map<String, List<Integer>> titleSources = new TreeMap<>();
            Map<String, Map<String, List<Integer>>> titleVotes = new TreeMap<>();
            for (int i : members) {
                for (LocalizedTitle t : records.get(i).getTitles()) {
                    String slot = t.getLocale() + "|" + t.getKind();
                    titleVotes
                            .computeIfAbsent(slot, k -> new LinkedHashMap<>())
                            .computeIfAbsent(t.getText(), k -> new ArrayList<>())
                            .add(i);
                }
            }
            Map<String, LocalizedTitle> titles = new TreeMap<>();
            for (var slot : titleVotes.entrySet()) {
                var winner = majority(slot.getValue());
                String[] lk = slot.getKey().split("\\|");
                titles.put(
                        slot.getKey(),
                        LocalizedTitle.newBuilder()
                                .setLocale(lk[0])
                                .setKind(lk[1])
                                .setText(winner.getKey())
                                .build());
                titleSources.put(slot.getKey(), winner.getValue());
            }
            Map<Integer, List<Integer>> years = new LinkedHashMap<>();
            Map<Integer, List<Integer>> runtimes = new LinkedHashMap<>();
            Map<String, AssetRef> assets = new TreeMap<>();
            for (int i : members) {
                FeedRecord r = records.get(i);
                if (r.getReleaseYear() != null) {
                    years.computeIfAbsent(r.getReleaseYear(), k -> new ArrayList<>()).add(i);
                }
                if (r.getRuntimeMinutes() != null) {
                    runtimes.computeIfAbsent(r.getRuntimeMinutes(), k -> new ArrayList<>()).add(i);
                }
                for (AssetRef a : r.getAssets()) {
                    assets.putIfAbsent(a.getAssetId(), a);
                }
            }
            Integer year = null;
            Integer runtime = null;
            if (!years.isEmpty()) {
                var w = majority(years);
                year = w.getKey();
                provenance.add(prov("releaseYear", w.getValue().get(0)));
            }
            if (!runtimes.isEmpty()) {
                var w = majority(runtimes);
                runtime = w.getKey();
                provenance.add(prov("runtimeMinutes", w.getValue().get(0)));
            }
            Map<String, FieldProvenance> titleProv = new TreeMap<>();
            for (var e : titleSources.entrySet()) {
                titleProv.put(e.getKey(), prov(titleField(e.getKey()), e.getValue().get(0)));
            }

            // Editorial overrides on any id of the title, in issue order: the latest wins.
            Set<String> idKeys = new HashSet<>();
            for (int i : members) {
                linkIds(records.get(i)).forEach(id -> idKeys.add(Identifiers.contentId(id)));
            }
            for (EditorialOverride o : overrides) {
                if (o.getAction() != OverrideAction.SET_FIELD
                        || !idKeys.contains(Overrides.canonicalContentId(o.getContentId()))) {
                    continue;
                }
                FieldProvenance p =
                        FieldProvenance.newBuilder()
                                .setField(o.getField())
                                .setSource("override:" + o.getOverrideId())
                                .setAt(o.getIssuedAt())
                                .build();
                switch (o.getField()) {
                    case "releaseYear" -> {
                        year = Integer.parseInt(o.getValue().strip());
                        provenance.removeIf(f -> f.getField().equals("releaseYear"));
                        provenance.add(p);
                    }
                    case "runtimeMinutes" -> {
                        runtime = Integer.parseInt(o.getValue().strip());
                        provenance.removeIf(f -> f.getField().equals("runtimeMinutes"));
                        provenance.add(p);
                    }
                    default -> {
                        String locale =
                                dev.marquee.metadata.Locales.check(
                                                o.getField()
                                                        .substring(
                                                                Overrides.TITLE_FIELD_PREFIX
                                                                        .length()))
                                        .canonical();
                        String slot = locale + "|display";
                        titles.put(
                                slot,
                                LocalizedTitle.newBuilder()
                                        .setLocale(locale)
                                        .setKind("display")
                                        .setText(o.getValue())
                                        .build());
                        p.setField(titleField(slot));
                        titleProv.put(slot, p);
                    }
                }
            }
            provenance.addAll(titleProv.values());
            provenance.sort(Comparator.comparing(FieldProvenance::getField));

            List<String> sources = members.stream().map(keys::get).sorted().toList();
            return CanonicalTitle.newBuilder()
                    .setContentId(contentId)
                    .setVersion(0)
                    .setEidr(Identifiers.EIDR.equals(anchor.getScheme()) ? anchor.getValue() : null)
                    .setAliases(aliases)
                    .setTitles(new ArrayList<>(titles.values()))
                    .setReleaseYear(year)
                    .setRuntimeMinutes(runtime)
                    .setAssets(new ArrayList<>(assets.values()))
                    .setSources(sources)
                    .setMatchConfidence(matchConfidence)
                    .setProvenance(provenance)
                    .setUpdatedAt(Instant.EPOCH)
                    .build();
        }

        /**
         * The id that names the title: the first valid one in anchor order, except that when an
         * editor merged titles the content id the MERGE named survives (if it is as strong).
         */
        Identifier anchor(List<Identifier> sorted) {
            Identifier first =
                    sorted.stream().filter(Identifier::getValid).findFirst().orElseThrow();
            for (EditorialOverride o : decisions.values()) {
                if (o.getAction() != OverrideAction.MERGE) {
                    continue;
                }
                Identifier named =
                        Identifiers.fromContentId(Overrides.canonicalContentId(o.getContentId()));
                if (named.getValid()
                        && sorted.contains(named)
                        && named.getScheme().equals(first.getScheme())) {
                    return named;
                }
            }
            return first;
        }

        FieldProvenance prov(String field, int source) {
            FeedRecord r = records.get(source);
            return FieldProvenance.newBuilder()
                    .setField(field)
                    .setSource("vendor:" + keys.get(source))
                    .setAt(r.getProvenance().getIngestedAt())
                    .build();
        }

        ReviewItem review(
                ReviewKind kind,
                String a,
                String b,
                Double confidence,
                String detail,
                Map<String, CanonicalTitle> titles) {
            String first = a.compareTo(b) <= 0 ? a : b;
            String second = first.equals(a) ? b : a;
            Instant raised =
                    latest(titles.get(first)).compareTo(latest(titles.get(second))) >= 0
                            ? latest(titles.get(first))
                            : latest(titles.get(second));
            return ReviewItem.newBuilder()
                    .setReviewId(
                            (kind == ReviewKind.IDENTIFIER_CONFLICT ? "conflict:" : "match:")
                                    + first
                                    + "|"
                                    + second)
                    .setKind(kind)
                    .setConfidence(confidence)
                    .setCandidateA(first)
                    .setCandidateB(second)
                    .setDetail(detail)
                    .setRaisedAt(raised)
                    .setStatus("OPEN")
                    .build();
        }

        Instant latest(CanonicalTitle title) {
            return title.getProvenance().stream()
                    .map(FieldProvenance::getAt)
                    .max(Comparator.naturalOrder())
                    .orElse(Instant.EPOCH);
        }
    }

    /** An unordered pair of content ids as one key. */
    static String pair(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    static String titleField(String slot) {
        String[] lk = slot.split("\\|");
        return "display".equals(lk[1]) ? "titles." + lk[0] : "titles." + lk[0] + "." + lk[1];
    }

    /** The value most sources agree on; ties go to the value whose first source sorts first. */
    static <V> Map.Entry<V, List<Integer>> majority(Map<V, List<Integer>> votes) {
        Map.Entry<V, List<Integer>> best = null;
        for (var e : votes.entrySet()) {
            if (best == null
                    || e.getValue().size() > best.getValue().size()
                    || (e.getValue().size() == best.getValue().size()
                            && e.getValue().get(0) < best.getValue().get(0))) {
                best = e;
            }
        }
        return best;
    }

    static String describe(CanonicalTitle t) {
        String title =
                t.getTitles().isEmpty()
                        ? "(no title)"
                        : "\"" + t.getTitles().get(0).getText() + "\"";
        return t.getContentId()
                + " "
                + title
                + " ("
                + Objects.toString(t.getReleaseYear(), "?")
                + ", "
                + Objects.toString(t.getRuntimeMinutes(), "?")
                + " min)";
    }
}
