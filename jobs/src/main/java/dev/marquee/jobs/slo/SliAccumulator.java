package dev.marquee.jobs.slo;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The running SLI sums of one group in one window: counters, plus a KLL quantile sketch of license
 * latencies (Apache DataSketches). The sketch is what makes the p95 mergeable (window merges,
 * pre-aggregation) in bounded memory with a known rank error, instead of a buffer of every latency.
 * Serialized by {@link SliAccumulatorSerializer} (the sketch as its compact bytes), so no Kryo is
 * involved.
 */
public final class SliAccumulator {
    /** KLL accuracy parameter: k = 200 gives about 1.65 % normalized rank error (single-sided). */
    public static final int SKETCH_K = 200;

    public long attempts;
    public long startFailures;
    public long playbackFailures;
    public long rebufferMs;
    public long playMs;
    public long watchSamples;
    public long segments;
    public long cacheHits;

    /** Null until the first latency arrives: most groups in most windows have none. */
    private KllDoublesSketch latencies;

    public void add(SliSample s) {
        attempts += s.attempts;
        startFailures += s.startFailures;
        playbackFailures += s.playbackFailures;
        rebufferMs += s.rebufferMs;
        playMs += s.playMs;
        watchSamples += s.watched();
        segments += s.segments;
        cacheHits += s.cacheHits;
        if (s.licenseLatencies != null) {
            for (int i = 0; i < s.mergedLatencies; i++) {
                sketch().update(s.licenseLatencies[i]);
            }
        } else if (s.licenseLatencyMs >= 0) {
            sketch().update(s.licenseLatencyMs);
        }
    }

    public SliAccumulator merge(SliAccumulator other) {
        attempts += other.attempts;
        startFailures += other.startFailures;
        playbackFailures += other.playbackFailures;
        rebufferMs += other.rebufferMs;
        playMs += other.playMs;
        watchSamples += other.watchSamples;
        segments += other.segments;
        cacheHits += other.cacheHits;
        if (other.latencies != null && !other.latencies.isEmpty()) {
            sketch().merge(other.latencies);
        }
        return this;
    }

    /** Number of latencies seen. */
    public long latencyCount() {
        return latencies == null ? 0 : latencies.getN();
    }

    /** The latency at normalized rank {@code rank} (0.95 for p95); NaN when none were seen. */
    public double latencyQuantile(double rank) {
        return latencies == null || latencies.isEmpty() ? Double.NaN : latencies.getQuantile(rank);
    }

    /** The sketch's normalized rank error bound (about 0.0165 for k = 200). */
    public static double rankError() {
        return KllDoublesSketch.getNormalizedRankError(SKETCH_K, false);
    }

    byte[] sketchBytes() {
        return latencies == null ? null : latencies.toByteArray();
    }

    void sketchFromBytes(byte[] bytes) {
        latencies = bytes == null ? null : KllDoublesSketch.heapify(Memory.wrap(bytes));
    }

    private KllDoublesSketch sketch() {
        if (latencies == null) {
            latencies = KllDoublesSketch.newHeapInstance(SKETCH_K);
        }
        return latencies;
    }

    public SliAccumulator copy() {
        SliAccumulator c = new SliAccumulator().merge(this);
        return c;
    }
}
