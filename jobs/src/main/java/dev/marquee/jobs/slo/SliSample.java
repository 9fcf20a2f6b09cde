package dev.marquee.jobs.slo;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What one player event contributes to the SLIs of its group (territory x device class, or
 * territory x PoP for the CDN), in the window its event time falls in. Most fields are zero for a
 * given event; the window aggregate sums them. Serialized and copied by {@link SliSampleSerializer}
 * (no reflection, no Kryo).
 */
@TypeInfo(SliSampleSerializer.Factory.class)
public class SliSample {
    /** Device-class "any", used by the per-PoP CDN group. */
    public static final String ANY_DEVICE = "*";

    public String territory;
    public String deviceClass;

    /** Set only for CDN samples, which are grouped per PoP instead of per device class. */
    public String pop;

    /** Playback attempts (START). */
    public long attempts;

    /** Attempts that never showed a first frame (START_FAILURE, or no first frame in time). */
    public long startFailures;

    /** Sessions that started and then died on a fatal ERROR. */
    public long playbackFailures;

    /** Time spent stalled (REBUFFER_END's duration). */
    public long rebufferMs;

    /** Time spent playing since the session's previous event. */
    public long playMs;

    /** DRM license round trip of a LICENSE_REQUEST; negative when the event is not one. */
    public int licenseLatencyMs = -1;

    /**
     * Latencies of the samples merged into this one ({@link #merge}), in the first {@link
     * #mergedLatencies} slots: the array grows by doubling, so a pre-aggregated sum of n samples
     * costs O(n) copies, not O(n^2). Null for a single event's sample, which uses {@link
     * #licenseLatencyMs}.
     */
    public int[] licenseLatencies;

    /** How many slots of {@link #licenseLatencies} hold latencies. */
    public int mergedLatencies;

    /** How many merged samples had play or stall time; 0 for a single event's sample. */
    public long watchSamples;

    /** Segments with a known cache outcome, and how many of them hit the edge cache. */
    public long segments;

    public long cacheHits;

    public SliSample() {}

    static SliSample forDevice(String territory, String deviceClass) {
        SliSample s = new SliSample();
        s.territory = territory;
        s.deviceClass = deviceClass;
        return s;
    }

    static SliSample forPop(String territory, String pop) {
        SliSample s = new SliSample();
        s.territory = territory;
        s.deviceClass = ANY_DEVICE;
        s.pop = pop;
        return s;
    }

    /** An empty sample of the same group, to merge others into. */
    SliSample emptyOfGroup() {
        SliSample s = new SliSample();
        s.territory = territory;
        s.deviceClass = deviceClass;
        s.pop = pop;
        return s;
    }

    /** Samples with play or stall time this one stands for (itself, or what was merged into it). */
    long watched() {
        return watchSamples > 0 ? watchSamples : rebufferMs > 0 || playMs > 0 ? 1 : 0;
    }

    /** Adds another sample of the same group: sums, and its latencies kept one by one. */
    void merge(SliSample other) {
        long watched = watched() + other.watched();
        attempts += other.attempts;
        startFailures += other.startFailures;
        playbackFailures += other.playbackFailures;
        rebufferMs += other.rebufferMs;
        playMs += other.playMs;
        segments += other.segments;
        cacheHits += other.cacheHits;
        watchSamples = watched;
        int extra = other.latencyCount();
        if (extra > 0) {
            if (licenseLatencies == null) {
                licenseLatencies = new int[Math.max(8, extra + 1)];
                mergedLatencies = 0;
                if (licenseLatencyMs >= 0) {
                    licenseLatencies[mergedLatencies++] = licenseLatencyMs;
                }
                licenseLatencyMs = -1;
            }
            int needed = mergedLatencies + extra;
            if (needed > licenseLatencies.length) {
                licenseLatencies =
                        Arrays.copyOf(
                                licenseLatencies, Math.max(needed, licenseLatencies.length * 2));
            }
            if (other.licenseLatencies != null) {
                System.arraycopy(
                        other.licenseLatencies, 0, licenseLatencies, mergedLatencies, extra);
            } else {
                licenseLatencies[mergedLatencies] = other.licenseLatencyMs;
            }
            mergedLatencies = needed;
        }
    }

    /** This sample's license latencies, merged or single. */
    int[] latencies() {
        if (licenseLatencies != null) {
            return Arrays.copyOf(licenseLatencies, mergedLatencies);
        }
        return licenseLatencyMs >= 0 ? new int[] {licenseLatencyMs} : new int[0];
    }

    private int latencyCount() {
        return licenseLatencies != null ? mergedLatencies : licenseLatencyMs >= 0 ? 1 : 0;
    }

    /** The window key: {@code territory|device} or {@code territory|*|pop}. */
    public String group() {
        return pop == null
                ? territory + "|" + deviceClass
                : territory + "|" + deviceClass + "|" + pop;
    }

    @Override
    public String toString() {
        return group()
                + " attempts="
                + attempts
                + " startFailures="
                + startFailures
                + " playbackFailures="
                + playbackFailures
                + " rebufferMs="
                + rebufferMs
                + " playMs="
                + playMs
                + " licenseLatencyMs="
                + licenseLatencyMs
                + " segments="
                + segments
                + " cacheHits="
                + cacheHits;
    }
}
