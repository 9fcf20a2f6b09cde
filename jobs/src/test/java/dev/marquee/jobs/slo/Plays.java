package dev.marquee.jobs.slo;

import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.time.Instant;

/** Hand-built player events for the SLO and compliance tests. */
public final class Plays {
    private Plays() {}

    public static final Instant T0 = Instant.parse("2026-11-20T20:00:00Z");

    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    public static PlaybackEvent event(
            String session, PlaybackEventType type, Instant at, String territory, DeviceClass d) {
        return PlaybackEvent.newBuilder()
                .setSessionId(session)
                .setEventType(type)
                .setAt(at)
                .setContentId("c-zelda")
                .setTerritory(territory)
                .setDeviceClass(d)
                .setCdn("cdn-a")
                .setPop("nrt-1")
                .build();
    }

    public static PlaybackEvent event(String session, PlaybackEventType type, Instant at) {
        return event(session, type, at, "JP", DeviceClass.TV);
    }

    public static PlaybackEvent license(String session, Instant at, int latencyMs) {
        PlaybackEvent e = event(session, PlaybackEventType.LICENSE_REQUEST, at);
        e.setLicenseLatencyMs(latencyMs);
        return e;
    }

    public static PlaybackEvent rebufferEnd(String session, Instant at, int stalledMs) {
        PlaybackEvent e = event(session, PlaybackEventType.REBUFFER_END, at);
        e.setBufferMs(stalledMs);
        return e;
    }

    public static PlaybackEvent segment(String session, Instant at, boolean hit) {
        PlaybackEvent e = event(session, PlaybackEventType.SEGMENT, at);
        e.setCacheHit(hit);
        return e;
    }
}
