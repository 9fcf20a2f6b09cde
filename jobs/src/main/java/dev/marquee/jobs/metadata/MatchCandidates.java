package dev.marquee.jobs.metadata;

import dev.marquee.metadata.TitleMatcher;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The identity graph's title-matching candidates, in memory: every stored record's match profile,
 * and the matchable ones by release year and runtime band, so that a record is compared only with
 * the records {@link TitleMatcher#score} can compare it with at all (years at most one apart,
 * runtimes at most {@link TitleMatcher#MAX_RUNTIME_GAP} apart or unknown).
 *
 * <p>A band is {@code floor(runtime / MAX_RUNTIME_GAP)}; two runtimes at most that gap apart are in
 * the same or neighbouring bands, so a record with a runtime looks at three bands of three years
 * plus the records without a runtime, and a record without one at every band of its three years.
 *
 * <p>Within a band each title key is kept as a flat signature (length, first four characters,
 * character counts in {@value #BUCKETS} buckets) in arrays, so that ruling out a candidate touches
 * a few contiguous arrays rather than a profile's object graph: the counts bound the characters two
 * keys can share, which bounds their Jaro-Winkler similarity ({@link
 * TitleMatcher#similarityBound}). Only candidates whose bound can reach the review threshold are
 * handed on for the exact {@link TitleMatcher#related}. Nothing a full comparison would relate is
 * left out (a property test holds it to that).
 *
 * <p>Not state: it is a function of the records, rebuilt from them when the task starts.
 */
final class MatchCandidates {
    /** The band of records without a runtime (and a runtime slot's "unknown"). */
    static final int NO_RUNTIME = Integer.MIN_VALUE;

    static final int BUCKETS = 32;

    /**
     * Keys longer than this have no signature (a count could overflow a byte): always handed on.
     */
    static final int MAX_SIGNED_LENGTH = 127;

    private final Map<String, TitleMatcher.Profile> profiles = new HashMap<>();
    private final Map<Integer, Map<Integer, Band>> byYear = new HashMap<>();

    void clear() {
        profiles.clear();
        byYear.clear();
    }

    /** The profile of a stored record, or null. */
    TitleMatcher.Profile profile(String key) {
        return profiles.get(key);
    }

    void put(String key, TitleMatcher.Profile p) {
        remove(key);
        profiles.put(key, p);
        if (p.matchable()) {
            Band band =
                    byYear.computeIfAbsent(p.year(), y -> new HashMap<>())
                            .computeIfAbsent(band(p), b -> new Band());
            for (String titleKey : p.titleKeys()) {
                band.add(key, p, titleKey);
            }
        }
    }

    void remove(String key) {
        TitleMatcher.Profile p = profiles.remove(key);
        if (p == null || !p.matchable()) {
            return;
        }
        Map<Integer, Band> bands = byYear.get(p.year());
        if (bands == null) {
            return;
        }
        Band band = bands.get(band(p));
        if (band != null) {
            band.removeOwner(key);
            if (band.size == 0) {
                bands.remove(band(p));
            }
        }
        if (bands.isEmpty()) {
            byYear.remove(p.year());
        }
    }

    /**
     * Every stored record {@code p} may be related to (itself included, if stored), with its
     * profile: a superset of those {@link TitleMatcher#related} relates it to. A record with
     * several title keys may be handed on more than once.
     */
    void forEachPossiblyRelated(
            TitleMatcher.Profile p, BiConsumer<String, TitleMatcher.Profile> action) {
        if (!p.matchable()) {
            return;
        }
        Signature[] probe = new Signature[p.titleKeys().size()];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = new Signature(p.titleKeys().get(i));
        }
        int runtime = p.runtime() == null ? NO_RUNTIME : p.runtime();
        for (int y = p.year() - 1; y <= p.year() + 1; y++) {
            Map<Integer, Band> bands = byYear.get(y);
            if (bands == null) {
                continue;
            }
            int yearGap = Math.abs(p.year() - y);
            if (runtime == NO_RUNTIME) {
                for (Band band : bands.values()) {
                    band.scan(probe, yearGap, runtime, action);
                }
                continue;
            }
            int b = band(p);
            for (int n = b - 1; n <= b + 1; n++) {
                Band band = bands.get(n);
                if (band != null) {
                    band.scan(probe, yearGap, runtime, action);
                }
            }
            Band unknown = bands.get(NO_RUNTIME);
            if (unknown != null) {
                unknown.scan(probe, yearGap, runtime, action);
            }
        }
    }

    static int band(TitleMatcher.Profile p) {
        return p.runtime() == null
                ? NO_RUNTIME
                : Math.floorDiv(p.runtime(), TitleMatcher.MAX_RUNTIME_GAP);
    }

    static int bucket(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        return 26 + c % (BUCKETS - 26);
    }

    /** First (up to) four characters of a key, 16 bits each. */
    static long prefix(String key) {
        long packed = 0;
        for (int i = 0; i < Math.min(4, key.length()); i++) {
            packed |= ((long) key.charAt(i)) << (16 * i);
        }
        return packed;
    }

    static int commonPrefix(long a, int lengthA, long b, int lengthB) {
        int limit = Math.min(4, Math.min(lengthA, lengthB));
        int n = 0;
        while (n < limit && ((a >>> (16 * n)) & 0xFFFF) == ((b >>> (16 * n)) & 0xFFFF)) {
            n++;
        }
        return n;
    }

    /** A probe key's signature. */
    static final class Signature {
        final int length;
        final long prefix;
        final byte[] counts = new byte[BUCKETS];
        final boolean signed;

        Signature(String key) {
            length = key.length();
            prefix = prefix(key);
            signed = length <= MAX_SIGNED_LENGTH;
            if (signed) {
                for (int i = 0; i < length; i++) {
                    counts[bucket(key.charAt(i))]++;
                }
            }
        }
    }

    /** One band's title keys as parallel arrays; entries of a removed record are swapped out. */
    static final class Band {
        int size;
        String[] owners = new String[4];
        TitleMatcher.Profile[] profiles = new TitleMatcher.Profile[4];
        int[] runtimes = new int[4];
        int[] lengths = new int[4];
        long[] prefixes = new long[4];
        boolean[] signed = new boolean[4];
        byte[] counts = new byte[4 * BUCKETS];

        void add(String owner, TitleMatcher.Profile p, String key) {
            if (size == owners.length) {
                int n = size * 2;
                owners = java.util.Arrays.copyOf(owners, n);
                profiles = java.util.Arrays.copyOf(profiles, n);
                runtimes = java.util.Arrays.copyOf(runtimes, n);
                lengths = java.util.Arrays.copyOf(lengths, n);
                prefixes = java.util.Arrays.copyOf(prefixes, n);
                signed = java.util.Arrays.copyOf(signed, n);
                counts = java.util.Arrays.copyOf(counts, n * BUCKETS);
            }
            Signature s = new Signature(key);
            owners[size] = owner;
            profiles[size] = p;
            runtimes[size] = p.runtime() == null ? NO_RUNTIME : p.runtime();
            lengths[size] = s.length;
            prefixes[size] = s.prefix;
            signed[size] = s.signed;
            System.arraycopy(s.counts, 0, counts, size * BUCKETS, BUCKETS);
            size++;
        }

        void removeOwner(String owner) {
            for (int i = size - 1; i >= 0; i--) {
                if (owners[i].equals(owner)) {
                    int last = size - 1;
                    owners[i] = owners[last];
                    profiles[i] = profiles[last];
                    runtimes[i] = runtimes[last];
                    lengths[i] = lengths[last];
                    prefixes[i] = prefixes[last];
                    signed[i] = signed[last];
                    System.arraycopy(counts, last * BUCKETS, counts, i * BUCKETS, BUCKETS);
                    owners[last] = null;
                    profiles[last] = null;
                    size--;
                }
            }
        }

        void scan(
                Signature[] probe,
                int yearGap,
                int runtime,
                BiConsumer<String, TitleMatcher.Profile> action) {
            for (int i = 0; i < size; i++) {
                int runtimeGap =
                        runtime == NO_RUNTIME || runtimes[i] == NO_RUNTIME
                                ? -1
                                : Math.abs(runtime - runtimes[i]);
                double discount = TitleMatcher.discount(yearGap, runtimeGap);
                if (Double.isNaN(discount)) {
                    continue; // score() does not compare these two at all
                }
                for (Signature s : probe) {
                    if (mayReach(s, i, discount)) {
                        action.accept(owners[i], profiles[i]);
                        break;
                    }
                }
            }
        }

        private boolean mayReach(Signature s, int i, double discount) {
            if (!s.signed || !signed[i]) {
                return true;
            }
            int shared = 0;
            int base = i * BUCKETS;
            for (int b = 0; b < BUCKETS; b++) {
                shared += Math.min(s.counts[b], counts[base + b]);
            }
            double bound =
                    TitleMatcher.similarityBound(
                            shared,
                            s.length,
                            lengths[i],
                            commonPrefix(s.prefix, s.length, prefixes[i], lengths[i]));
            return !TitleMatcher.belowForSure(bound, discount, TitleMatcher.REVIEW);
        }
    }
}
