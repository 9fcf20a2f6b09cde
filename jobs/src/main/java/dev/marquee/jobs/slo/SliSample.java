package dev.marquee.jobs.slo;

/**
 * What one player event contributes to the SLIs of its group (territory x device class, or
 * territory x PoP for the CDN), in the window its event time falls in. Most fields are zero for a
 * given event; the window aggregate sums them. A Flink POJO, so it is serialized without Kryo.
 */
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
