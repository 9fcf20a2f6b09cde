package dev.marquee.jobs.slo;

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
     * Latencies of the samples merged into this one ({@link #merge}); null for a single event's
     * sample, which uses {@link #licenseLatencyMs}.
     */
    public int[] licenseLatencies;

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
            int[] mine = latencies();
            int[] all = java.util.Arrays.copyOf(mine, mine.length + extra);
            if (other.licenseLatencies != null) {
                System.arraycopy(other.licenseLatencies, 0, all, mine.length, extra);
            } else {
                all[mine.length] = other.licenseLatencyMs;
            }
            licenseLatencies = all;
            licenseLatencyMs = -1;
        }
    }

    /** This sample's license latencies, merged or single. */
    int[] latencies() {
        if (licenseLatencies != null) {
            return licenseLatencies;
        }
        return licenseLatencyMs >= 0 ? new int[] {licenseLatencyMs} : new int[0];
    }

    private int latencyCount() {
        return licenseLatencies != null ? licenseLatencies.length : licenseLatencyMs >= 0 ? 1 : 0;
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
