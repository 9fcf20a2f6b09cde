package dev.marquee.jobs.slo;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the SLO job remembers about one playback session between its events: enough to tell a start
 * that never showed a frame, to count a session's failure once, and to measure play time between
 * events. Serialized and copied by {@link SessionStateSerializer} (no reflection, no Kryo).
 */
@TypeInfo(SessionStateSerializer.Factory.class)
public class SessionState {
    /** Where the session plays, for samples emitted from a timer (no event at hand then). */
    public String territory;

    public String deviceClass;

    /**
     * The PoP the session's latest segment came from (pooled), so that a segment from the same PoP,
     * nearly every one, is matched with one string comparison instead of a pool lookup.
     */
    public String pop;

    /** Event time of START; {@code Long.MIN_VALUE} when the START has not been seen. */
    public long startedAt = Long.MIN_VALUE;

    public boolean firstFrame;

    /** The session already counted as a start failure or a playback failure. */
    public boolean failed;

    /** Event time of the session's latest event. */
    public long lastEventAt = Long.MIN_VALUE;

    /** The player is stalled (between REBUFFER_START and REBUFFER_END). */
    public boolean rebuffering;

    /** Event time of the REBUFFER_START when rebuffering. */
    public long rebufferStartedAt = Long.MIN_VALUE;

    /** The one event-time timer the session has (start deadline, then idle expiry). */
    public long timer = Long.MIN_VALUE;

    /** Processing time of the session's latest event (its state's last write). */
    public long writtenAt = Long.MIN_VALUE;

    /**
     * The processing-time timer that drops the session if nothing wrote to it for the state TTL
     * (the safety net behind {@link #timer}); {@code Long.MIN_VALUE} when none is set.
     */
    public long ttlTimer = Long.MIN_VALUE;

    public SessionState() {}
}
